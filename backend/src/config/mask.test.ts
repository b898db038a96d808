import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TSchema } from '@sinclair/typebox';
import { loadConfig } from './load';
import { maskConfig, maskDsn } from './mask';
import { configFileSchema } from './schema';
import { secretKindOf } from './secret';

describe('maskDsn', () => {
  it('hides the password and password parameters, keeps the rest', () => {
    expect(maskDsn('postgres://mon:s3cret@db:5432/app?sslmode=require')).toBe(
      'postgres://mon:***@db:5432/app?sslmode=require',
    );
    expect(maskDsn('postgres://mon@db/app?password=s3cret')).toBe('postgres://mon@db/app?password=***');
    expect(maskDsn('postgres://db/app')).toBe('postgres://db/app');
  });

  it('hides everything it cannot parse', () => {
    expect(maskDsn('host=db password=s3cret')).toBe('***');
  });
});

type Node = TSchema & { properties?: Record<string, TSchema>; items?: TSchema; type?: unknown };

/** Every string setting of the schema: its path and whether it is marked secret. */
function stringSettings(schema: Node, path: string): { path: string; secret: boolean }[] {
  if (schema.type === 'string') return [{ path, secret: secretKindOf(schema) !== undefined }];
  if (schema.type === 'array' && schema.items) return stringSettings(schema.items as Node, `${path}[]`);
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) =>
    stringSettings(child as Node, path ? `${path}.${key}` : key),
  );
}

/** A key whose name says it may hold a credential. */
const SECRET_LOOKING = /password|passwd|secret|token|key|dsn|url|webhook|credential/i;

/** Secret-looking names that are not secrets, and why. */
const NOT_SECRETS: Record<string, string> = {
  key_file: "a path to the client key file (the file's content is the secret, never read into config)",
  grafana_url: "Grafana's root URL as people open it, written into the generated rules' links",
  runbooks_url: "where the runbooks are published, written into the generated rules' links",
};

describe('secret settings', () => {
  // Alert kinds add numbers and flags only (alerts.rules), no string setting.
  const settings = stringSettings(configFileSchema([]) as Node, '');

  it('marks every setting whose name looks like a credential, so a new one cannot be forgotten', () => {
    expect(settings.length).toBeGreaterThan(20);
    const unmarked = settings.filter(
      (s) => !s.secret && SECRET_LOOKING.test(s.path.split('.').pop() ?? '') && !NOT_SECRETS[leaf(s.path)],
    );
    expect(unmarked).toEqual([]);
  });

  it('masks every marked setting in the printed configuration', () => {
    const marked = settings.filter((s) => s.secret).map((s) => s.path);
    // The configuration below fills each of these; a new secret setting must be added to it.
    expect(marked.sort()).toEqual(
      [
        'alerts.notifiers.pagerduty.routing_key',
        'alerts.notifiers.pagerduty.url',
        'alerts.notifiers.slack.webhook_url',
        'auth.admin_tokens[]',
        'auth.read_tokens[]',
        'store.url',
        'targets[].dsn',
        'targets[].governor_dsn',
        'targets[].pgbouncer.dsn',
      ].sort(),
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'pgg-mask-'));
    const file = path.join(dir, 'config.yaml');
    writeFileSync(
      file,
      [
        'targets:',
        '  - name: main',
        '    dsn: postgres://mon:target-secret@db/app',
        '    governor_dsn: postgres://gov:governor-secret@db/app',
        '    pgbouncer: { dsn: "postgres://stats:bouncer-secret@db:6432/pgbouncer" }',
      ].join('\n'),
    );
    const { config } = loadConfig({
      file,
      env: {
        PGG_STORE_URL: 'postgres://store:store-secret@db/history',
        PGG_READ_TOKENS: 'read-token-secret-0001',
        PGG_ADMIN_TOKENS: 'admin-token-secret-0001',
        PGG_ALERTS__NOTIFIERS__PAGERDUTY__ROUTING_KEY: 'pagerduty-routing-secret',
        PGG_ALERTS__NOTIFIERS__PAGERDUTY__URL: 'https://proxy-user:pd-proxy-secret@pd.example/v2/enqueue',
        PGG_ALERTS__NOTIFIERS__SLACK__WEBHOOK_URL: 'https://hooks.slack.example/services/T0/B0/slack-secret',
      },
    });
    rmSync(dir, { recursive: true, force: true });
    const printed = JSON.stringify(maskConfig(config));
    for (const secret of [
      'target-secret',
      'governor-secret',
      'bouncer-secret',
      'store-secret',
      'read-token-secret',
      'admin-token-secret',
      'pagerduty-routing-secret',
      'pd-proxy-secret',
      'slack-secret',
    ]) {
      expect({ secret, printed: printed.includes(secret) }).toEqual({ secret, printed: false });
    }
    expect(printed).toContain('postgres://mon:***@db/app');
    expect(printed).toContain('https://hooks.slack.example/***');
    expect(printed).toContain('https://proxy-user:***@pd.example/v2/enqueue');
  });

  it('keeps what is not secret, and masks a string the schema does not describe', () => {
    const { config } = loadConfig({ env: { PGG_TARGET_URL: 'postgres://mon@db/app' } });
    const masked = maskConfig({ ...config, extra: 'unknown-value' } as typeof config);
    expect(masked.targets[0]?.name).toBe('main');
    expect(masked.defaults.governor.mode).toBe(config.defaults.governor.mode);
    expect(masked.http.host).toBe(config.http.host);
    expect((masked as unknown as { extra: string }).extra).toBe('***');
  });
});

const leaf = (path: string) => path.split('.').pop()?.replace('[]', '') ?? '';
