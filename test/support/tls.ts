import { generateKeyPairSync, sign } from 'node:crypto';
import { chownSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { eventually } from './backend-process';
import type { TestPostgres } from './test-postgres';

/**
 * TLS for a harness server, with no openssl binary: a self-signed certificate built here (DER by
 * hand, signed with node:crypto), written to the data folder, then ssl = on and a reload. The
 * harness binaries are built with OpenSSL. Clients connect with sslmode=no-verify (tlsUrl).
 */

/** A DER element: tag, definite length, content. */
function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}

const sequence = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));

function objectId(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const encoded = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) encoded.unshift(0x80 | (v & 0x7f));
    bytes.push(...encoded);
  }
  return der(0x06, Buffer.from(bytes));
}

/** CN=<name>, as issuer and subject. */
const commonName = (name: string) =>
  sequence(der(0x31, sequence(objectId('2.5.4.3'), der(0x0c, Buffer.from(name, 'utf8')))));

const SHA256_WITH_RSA = sequence(objectId('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

/**
 * An X.509 v1 certificate for `localhost`, valid from 2000 to the end of 2049 (fixed dates: no
 * test depends on today's), and its key, both PEM.
 */
export function selfSignedCertificate(): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const utcTime = (text: string) => der(0x17, Buffer.from(text, 'ascii'));
  const tbs = sequence(
    der(0x02, Buffer.from([0x01])), // serial number
    SHA256_WITH_RSA,
    commonName('localhost'),
    sequence(utcTime('000101000000Z'), utcTime('491231235959Z')),
    commonName('localhost'),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, SHA256_WITH_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The URL with sslmode=no-verify: TLS, the self-signed certificate accepted. */
export function tlsUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}sslmode=no-verify`;
}

/**
 * Turns TLS on in a running harness server: server.crt and server.key (the defaults of
 * ssl_cert_file and ssl_key_file) in its data folder, owned like it (the server may run as
 * another user when the tests run as root; the key must be 0600 and its own), then ssl = on and
 * a reload (no restart). Resolves once a TLS connection gets through; plain ones still do.
 */
export async function enableTls(pg: TestPostgres): Promise<void> {
  const { dataDir } = pg.server;
  const owner = statSync(dataDir);
  const { cert, key } = selfSignedCertificate();
  for (const [file, content] of [
    ['server.crt', cert],
    ['server.key', key],
  ] as const) {
    const target = path.join(dataDir, file);
    writeFileSync(target, content, { mode: 0o600 });
    if (process.getuid?.() === 0) chownSync(target, owner.uid, owner.gid);
  }
  await pg.query('ALTER SYSTEM SET ssl = on');
  await pg.query('SELECT pg_reload_conf()');
  await eventually(
    async () => {
      const client = new Client({ connectionString: tlsUrl(pg.superuserUrl) });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const [row] = (
          await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')
        ).rows;
        return row?.ssl === true ? true : undefined;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    10_000,
    'a TLS connection after ssl = on',
  );
}
