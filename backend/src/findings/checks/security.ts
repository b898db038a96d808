import { SnapshotRow } from '../../collectors/types';
import { qualified, quoteIdent } from '../quote';
import { Check, FindingDraft } from '../types';
import { count, evidence, num, text } from './helpers';

/** schema_create_for_public: schemas where PUBLIC may CREATE. */
export const schemaCreateForPublic: Check = ({ rows }) =>
  rows('public_create_schemas').map((row) => {
    const schema = text(row, 'schemaname') ?? '?';
    const database = text(row, 'datname') ?? null;
    return {
      key: schema,
      object: { type: 'schema', name: schema, database },
      severity: 'info',
      title: `Every role may create objects in schema ${schema}${database ? ` of database ${database}` : ''}`,
      detail:
        schema === 'public'
          ? 'PUBLIC holds CREATE on schema public, the default of PostgreSQL 14 and before (15+ no longer grants it): any role can put a function, operator or table there that shadows the one another role calls unqualified.'
          : `PUBLIC holds CREATE on schema ${schema}: any role can put a function, operator or table there that shadows the one another role calls unqualified.`,
      evidence: [row],
      remediation: {
        statements: [`REVOKE CREATE ON SCHEMA ${quoteIdent(schema)} FROM PUBLIC;`],
        steps: [
          `Run it in database ${database ?? 'of the finding'}. Objects already there stay; grant CREATE to the roles that deploy schema changes (GRANT CREATE ON SCHEMA ${quoteIdent(schema)} TO ...).`,
          ...(schema === 'public' ? ['Do the same in template1, so that new databases start closed.'] : []),
        ],
      },
    } satisfies FindingDraft;
  });

/** too_many_superusers: login superusers at or above min_count (names in the evidence only). */
export const tooManySuperusers: Check = ({ rows, samples, params }) => {
  const superusers = rows('superusers');
  // The metric counts them all; the rows stop at the Top-N.
  const total = samples('pg_superusers')[0]?.value ?? superusers.length;
  if (total < (params.min_count as number)) return [];
  return [
    {
      object: { type: 'server', name: 'superusers' },
      severity: 'info',
      title: `${count(total)} roles can log in as superuser`,
      detail:
        'Each bypasses every permission check and can run programs on the server: one leaked password hands over everything. Most accounts need a predefined role or an ownership instead.',
      evidence: evidence(superusers),
      remediation: {
        statements: [],
        steps: [
          'Find out what each account is for, and give it what it needs instead: pg_monitor (monitoring), pg_signal_backend (cancelling sessions), ownership of its database (an application), CREATEROLE (managing roles).',
          'Then, as a superuser: ALTER ROLE ... NOSUPERUSER; (or NOLOGIN for accounts nobody should use). Keep one or two break-glass superusers, their use logged.',
        ],
      },
    },
  ];
};

/** security_definer_search_path: SECURITY DEFINER functions that do not pin search_path. */
export const securityDefinerSearchPath: Check = ({ rows }) =>
  rows('security_definer_functions').map((row) => {
    const schema = text(row, 'schemaname') ?? '';
    const name = text(row, 'function_name') ?? '?';
    const args = typeof row.arguments === 'string' ? row.arguments : '';
    const kind = text(row, 'kind') === 'procedure' ? 'procedure' : 'function';
    const owner = text(row, 'owner') ?? '?';
    const extension = text(row, 'extension');
    // The arguments are PostgreSQL's own rendering (pg_get_function_identity_arguments): quoted by it.
    const signature = `${qualified(schema, name)}(${args})`;
    return {
      key: `${schema}.${name}(${args})`,
      object: {
        type: 'function',
        name: `${schema}.${name}(${args})`,
        database: text(row, 'datname') ?? null,
      },
      severity: 'warning',
      title: `SECURITY DEFINER ${kind} ${schema}.${name}(${args}) does not set search_path`,
      detail: `It runs as ${owner}${row.owner_is_superuser === true ? ', a superuser,' : ''} but looks up unqualified names through the caller's search_path (and pg_temp first for tables): a caller who can create objects on that path can make it run their code with ${owner}'s rights.`,
      evidence: [row],
      remediation: {
        statements: [
          `ALTER ${kind.toUpperCase()} ${signature} SET search_path = ${quoteIdent(schema)}, pg_temp;`,
        ],
        steps: [
          `Check that the body still finds what it uses with search_path = ${quoteIdent(schema)}, pg_temp (qualify names from other schemas), and that only trusted roles may CREATE in ${schema}.`,
          `If only some roles should call it: REVOKE EXECUTE ON ${kind.toUpperCase()} ${signature} FROM PUBLIC; and grant it to them.`,
          ...(extension
            ? [
                `It belongs to extension ${extension}: the ALTER is lost at its next update; report it upstream.`,
              ]
            : []),
        ],
      },
    } satisfies FindingDraft;
  });

/**
 * unencrypted_connections: per database, TCP client connections with neither TLS nor GSSAPI;
 * loopback ones (the same host) only with include_loopback.
 */
export const unencryptedConnections: Check = ({ rows, samples, params }) => {
  const withLoopback = params.include_loopback === 1;
  const byDatabase = new Map<string, SnapshotRow[]>();
  for (const row of rows('unencrypted_connections')) {
    if (row.loopback === true && !withLoopback) continue;
    const database = text(row, 'datname') ?? '';
    byDatabase.set(database, [...(byDatabase.get(database) ?? []), row]);
  }
  const totals = new Map(
    samples('pg_connections_unencrypted_tcp').map((s) => [s.labels.datname ?? '', s.value]),
  );
  const findings: FindingDraft[] = [];
  for (const [database, groups] of byDatabase) {
    const listed = groups.reduce((sum, r) => sum + (num(r, 'connections') ?? 0), 0);
    // The metric counts loopback connections too: without them, the groups listed are the count.
    const total = withLoopback ? Math.max(totals.get(database) ?? 0, listed) : listed;
    const loopback = groups.filter((r) => r.loopback === true).length;
    const clients = `${count(groups.length)} client group${groups.length === 1 ? '' : 's'} (database, user, application and address in the evidence)`;
    findings.push({
      key: database,
      object: { type: 'database', name: database, database },
      severity: 'info',
      title: `${count(total)} TCP connection${total === 1 ? '' : 's'} to database ${database} without TLS`,
      detail: `${clients}${loopback > 0 ? `, ${loopback === groups.length ? 'all' : count(loopback)} from the loopback address (the same host)` : ''}: statements, results and, with md5 or password authentication, credentials cross the network in clear text.`,
      evidence: evidence(groups),
      remediation: {
        statements: [],
        steps: [
          'Offer TLS on the server (a certificate and key; ALTER SYSTEM SET ssl = on; SELECT pg_reload_conf();) and have the clients connect with sslmode=verify-full.',
          'Then require it for remote clients: hostssl instead of host lines in pg_hba.conf, and reload. Open connections keep their encryption until they reconnect.',
          ...(loopback > 0
            ? [
                'Loopback connections never leave the host: findings.unencrypted_connections.include_loopback: false leaves them out.',
              ]
            : []),
        ],
      },
    });
  }
  return findings;
};
