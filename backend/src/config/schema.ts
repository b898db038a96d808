import { Static, TObject, TProperties, Type } from '@sinclair/typebox';
import { alertsConfigSchema, ConfigurableAlert } from './alerts-schema';
import { ConfigurableFinding, findingsConfigSchema } from './findings-schema';
import { SecretString } from './secret';

/**
 * The configuration file's schema. One TypeBox definition gives both the JSON schema that
 * validates the file (unknown keys rejected, defaults filled in) and the TypeScript types.
 * Keys are snake_case, as in most operations tooling.
 */

const strict = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

/** Nested sections default to {} so that their own defaults get filled in. */
const section = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: false, default: {} });

/** database_sizes.interval_s's default; also what a collect context built without a configuration uses. */
export const DATABASE_SIZES_INTERVAL_S = 600;

/** size_ranking.interval_s's default; also what a collect context built without a configuration uses. */
export const SIZE_RANKING_INTERVAL_S = 3600;

const Milliseconds = (defaultValue: number) =>
  Type.Integer({ minimum: 1, maximum: 86_400_000, default: defaultValue });

export const GovernorModeSchema = Type.Union([
  Type.Literal('observe'),
  Type.Literal('dry-run'),
  Type.Literal('enforce'),
]);

const Ratio = (defaultValue: number) =>
  Type.Number({ exclusiveMinimum: 0, maximum: 1, default: defaultValue });

/** A protected entry is matched exactly, or as a regular expression when written /like this/. */
const NameList = Type.Array(Type.String({ minLength: 1 }), { default: [] });

const TlsSchema = section({
  /** Unset: the DSN's sslmode decides. */
  mode: Type.Optional(
    Type.Union([
      Type.Literal('disable'),
      Type.Literal('require'),
      Type.Literal('verify-ca'),
      Type.Literal('verify-full'),
    ]),
  ),
  ca_file: Type.Optional(Type.String({ minLength: 1 })),
  cert_file: Type.Optional(Type.String({ minLength: 1 })),
  key_file: Type.Optional(Type.String({ minLength: 1 })),
});

const connectionProperties = {
  /** Connections the product may hold on the target, all pools together. Safety cap: 5. */
  pool_max: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
  /** Safety floor 1 s. */
  statement_timeout_ms: Milliseconds(5000),
  /** Capped at statement_timeout_ms. */
  lock_timeout_ms: Milliseconds(1000),
  connect_timeout_ms: Milliseconds(5000),
  /**
   * How long the last idle collector connection to a target (and the PgBouncer console's) stays open
   * before it is closed. Any other collector connection (one opened while loops overlap) is closed
   * as soon as it is released while another is idle; the governor's session is held open.
   */
  idle_timeout_ms: Milliseconds(30_000),
  /** Refuse a target whose collector role can write (DDL or DML). */
  read_only: Type.Boolean({ default: true }),
  tls: TlsSchema,
};

const governorProperties = {
  mode: Type.Union(GovernorModeSchema.anyOf, { default: 'dry-run' }),
  thresholds: section({ warn: Ratio(0.7), optimize: Ratio(0.85), critical: Ratio(0.95) }),
  /** At the optimize level, idle sessions idle longer than this are terminated. */
  idle_terminate_after_s: Type.Integer({ minimum: 1, default: 300 }),
  max_actions_per_cycle: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  max_actions_per_minute: Type.Integer({ minimum: 1, maximum: 1000, default: 30 }),
  allow_superuser_termination: Type.Boolean({ default: false }),
  protected: section({ users: NameList, applications: NameList, databases: NameList }),
  /**
   * Never touch a session whose last statement was LISTEN (pg_stat_activity shows only the last
   * statement: a listener that ran anything since, or hides its text, is not recognised).
   */
  protect_listen: Type.Boolean({ default: true }),
  /** Whatever the pressure: terminate sessions idle in transaction longer than this (0: off). */
  idle_in_transaction_timeout_s: Type.Integer({ minimum: 0, maximum: 604_800, default: 0 }),
  /** Whatever the pressure: cancel queries running longer than this (0: off)... */
  active_query_timeout_s: Type.Integer({ minimum: 0, maximum: 604_800, default: 0 }),
  /** ...and terminate the session if the same query still runs this long after the cancel. */
  cancel_grace_s: Type.Integer({ minimum: 1, maximum: 3600, default: 10 }),
  /** Consecutive failed interventions open the circuit (no more actions, a page); half-open after the cooldown. */
  circuit: section({
    failures_to_open: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
    cooldown_s: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  }),
  /** Cadence of the target's hot loop while usage is at or above warn (dry-run and enforce). */
  urgent_interval_ms: Type.Integer({ minimum: 200, maximum: 60_000, default: 1000 }),
  /** After acting under pressure, look again this soon (the terminated backends have usually exited by then). */
  recheck_after_action_ms: Type.Integer({ minimum: 50, maximum: 60_000, default: 200 }),
  /** Relief is judged once the terminated backends are gone, or this long after the terminations at most. */
  relief_grace_ms: Type.Integer({ minimum: 0, maximum: 60_000, default: 5000 }),
  /** A decision identical to the last one journaled (same level, choices, skips) is folded into the next for this long. */
  journal_repeat_s: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
};

/** Per-target overrides: the same keys as the defaults, all optional, no defaults of their own. */
function overridesOf(properties: TProperties): TObject {
  const optional: TProperties = {};
  for (const [key, schema] of Object.entries(properties)) {
    const { default: _default, ...rest } = schema as { default?: unknown };
    const copy =
      schema.type === 'object' ? overridesOf((schema as TObject).properties) : (rest as typeof schema);
    optional[key] = Type.Optional(copy);
  }
  return Type.Object(optional, { additionalProperties: false });
}

export const TargetSchema = strict({
  name: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
  /** postgres:// URL or key=value connection string of the collector (monitor) role. */
  dsn: SecretString('dsn', { minLength: 1 }),
  /** Connection of the governor role (pg_signal_backend); defaults to dsn. */
  governor_dsn: Type.Optional(SecretString('dsn', { minLength: 1 })),
  enabled: Type.Boolean({ default: true }),
  connection: Type.Optional(overridesOf(connectionProperties)),
  governor: Type.Optional(overridesOf(governorProperties)),
  pgbouncer: Type.Optional(strict({ dsn: SecretString('dsn', { minLength: 1 }) })),
});

const LoopSchema = (intervalS: number, budgetMs: number) =>
  section({
    interval_s: Type.Integer({ minimum: 1, maximum: 86_400, default: intervalS }),
    budget_ms: Type.Integer({ minimum: 100, maximum: 600_000, default: budgetMs }),
  });

/** Prometheus-safe: metric name suffixes and column names of custom metrics. */
const SNAKE_NAME = '^[a-z_][a-z0-9_]*$';

/**
 * A metric from the user's own SQL, run on the `custom` loop (never on the hot path). Exported as
 * pg_custom_<name>_<value column>, one series per row, labelled by the label columns.
 */
const CustomMetricSchema = strict({
  name: Type.String({ pattern: SNAKE_NAME, maxLength: 100 }),
  help: Type.String({ minLength: 1 }),
  /** One SELECT / WITH / TABLE / VALUES statement, no trailing semicolon, no bind parameters. */
  sql: Type.String({ minLength: 1, maxLength: 100_000 }),
  interval_s: Type.Integer({ minimum: 10, maximum: 86_400, default: 60 }),
  value_columns: Type.Array(Type.String({ pattern: SNAKE_NAME }), { minItems: 1 }),
  label_columns: Type.Array(Type.String({ pattern: SNAKE_NAME }), { default: [] }),
  /** Rows beyond it are dropped and pgg_custom_metric_truncated says so. */
  max_rows: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  /** Target names; unset: every target. */
  targets: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
});

/** A file of custom metrics (an application pack, e.g. examples/packs/task-queue.yaml). */
export const customMetricsFileSchema = strict({
  custom_metrics: Type.Array(CustomMetricSchema, { minItems: 1 }),
});

/**
 * The file's schema. The alert and finding kinds (the catalog, which sits above config) are given
 * by whoever loads the configuration: each alert is a key under alerts.rules, each finding kind a
 * key under findings, with its defaults.
 */
export const configFileSchema = (
  alertKinds: readonly ConfigurableAlert[],
  findingKinds: readonly ConfigurableFinding[] = [],
) =>
  strict({
    targets: Type.Array(TargetSchema, { default: [] }),
    /**
     * More targets: every *.yaml / *.yml file of this folder holds one target, a list of them, or
     * `targets:` with a list (the same keys as targets here). Re-read when a file changes, on
     * SIGHUP and every targets_rescan_s; a bad file is reported and its last good targets stay.
     */
    targets_dir: Type.Optional(Type.String({ minLength: 1 })),
    /** The fallback re-read of targets_dir, for file systems whose change events do not arrive. */
    targets_rescan_s: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
    /**
     * Replicas sharing the store divide the targets: each is collected and governed by one live
     * replica, whose lease in the store (on the store's clock) its heartbeat renews.
     */
    replicas: section({
      /** How often a replica renews its lease and looks for targets to take or hand over. */
      heartbeat_ms: Type.Integer({ minimum: 200, maximum: 5000, default: 2000 }),
      /**
       * A replica that stops renewing loses its targets this long after its last renewal: the others
       * look again as its lease ends (by the store's clock), so a replica killed -9 has its targets
       * collected again within this after its last renewal plus a first cycle.
       */
      lease_ms: Type.Integer({ minimum: 1000, maximum: 120_000, default: 8000 }),
      /**
       * A replica that starts claims no target for this long (two heartbeats), so that replicas
       * started together see each other and each takes its share, rather than the first taking the
       * fleet and handing most of it over. 0: claim at once. Not waited on an embedded store.
       */
      join_window_ms: Type.Integer({ minimum: 0, maximum: 60_000, default: 4000 }),
    }),
    defaults: section({
      connection: section(connectionProperties),
      governor: section(governorProperties),
    }),
    http: section({
      /** Unset: 0.0.0.0 when API tokens are configured, else 127.0.0.1 only. */
      host: Type.Optional(Type.String({ minLength: 1 })),
      port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8765 }),
      body_limit_bytes: Type.Integer({ minimum: 1024, maximum: 10_485_760, default: 1_048_576 }),
    }),
    auth: section({
      read_tokens: Type.Array(SecretString('value', { minLength: 16 }), { default: [] }),
      admin_tokens: Type.Array(SecretString('value', { minLength: 16 }), { default: [] }),
      protect_metrics: Type.Boolean({ default: false }),
    }),
    store: section({
      /** External history store; unset: an embedded PostgreSQL under embedded.data_dir. */
      url: Type.Optional(SecretString('dsn', { minLength: 1 })),
      /** Days kept per kind; whole daily partitions older than this are dropped. */
      retention_days: section({
        samples: Type.Integer({ minimum: 1, maximum: 3650, default: 14 }),
        snapshots: Type.Integer({ minimum: 1, maximum: 3650, default: 3 }),
        events: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }),
      }),
      /** How often the background writer sends what is buffered. */
      flush_interval_ms: Type.Integer({ minimum: 50, maximum: 600_000, default: 2000 }),
      /** Rows per insert statement (samples; snapshot rows; events). */
      batch_max_rows: Type.Integer({ minimum: 100, maximum: 100_000, default: 5000 }),
      /**
       * Samples held while the store is unreachable; beyond it the oldest are dropped (counted).
       * 20 bytes each in memory: the default (~30 MB) covers 10 minutes at ~2,500 samples/s,
       * e.g. 20 targets with ~500 hot-loop samples every 5 s plus their slower loops.
       */
      buffer_max_samples: Type.Integer({ minimum: 1000, maximum: 50_000_000, default: 1_500_000 }),
      /**
       * Snapshot rows held while the store is unreachable (snapshots are big: a session list can be
       * 1,000 rows of 1 KB); beyond it the oldest snapshots are dropped whole (counted).
       */
      buffer_max_snapshot_rows: Type.Integer({ minimum: 100, maximum: 10_000_000, default: 50_000 }),
      /** Connections to the store: one for the writer, the rest for API reads and maintenance. */
      pool_max: Type.Integer({ minimum: 2, maximum: 50, default: 4 }),
      /**
       * Rolled-up buckets of panel reads held in memory (MB), so that a refresh reads only what is
       * new: a 3 h panel of 200 series at 1m is about 2 MB. 0: none held.
       */
      read_cache_mb: Type.Integer({ minimum: 0, maximum: 1024, default: 8 }),
    }),
    embedded: section({
      /** Data of the embedded PostgreSQL servers (history store, zero-config demo). */
      data_dir: Type.String({ minLength: 1, default: './data' }),
      /** PostgreSQL refuses to run as root: when the backend is root it runs the server as this user. */
      run_as_user: Type.String({ minLength: 1, default: 'nobody' }),
    }),
    loops: section({
      // 5 s: the governor decides on these snapshots, so this bounds its reaction to a sudden storm.
      hot: LoopSchema(5, 1000),
      workload: LoopSchema(60, 3000),
      storage: LoopSchema(600, 10_000),
      hourly: LoopSchema(3600, 60_000),
      /** Ticks of the custom metrics; each runs when its own interval_s has elapsed. */
      custom: LoopSchema(10, 5000),
    }),
    custom_metrics: Type.Array(CustomMetricSchema, { default: [] }),
    /**
     * Files of custom metrics (application packs such as examples/packs/task-queue.yaml), each
     * `custom_metrics:` with a list; their metrics join custom_metrics. Relative paths: from the
     * configuration file's folder.
     */
    custom_metrics_files: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    /** Alert thresholds, `for` durations and enable flags per catalog alert; optional direct notifiers. */
    alerts: alertsConfigSchema(alertKinds),
    /** Thresholds and enable flags per finding kind (findings.<kind>.<param>). */
    findings: findingsConfigSchema(findingKinds),
    database_sizes: section({
      /**
       * How often database_stats reads each database's size: pg_database_size stats every file of a
       * database (~100 ms at 10,000 tables, over a second at 100,000), so by default once every
       * storage-loop interval rather than every workload cycle; the sizes read last are reported in
       * between, and a database that has none yet is read at once.
       */
      interval_s: Type.Integer({ minimum: 1, maximum: 86_400, default: DATABASE_SIZES_INTERVAL_S }),
    }),
    size_ranking: section({
      /**
       * How often the relations collector ranks the relations and indexes by size to find its Top-N
       * (ranking reads every relation: the costliest part of a storage cycle on a database with
       * thousands of tables), by default every hour; in between, the ones ranked last are reported
       * with fresh figures, re-sorted on their current sizes (a dropped one left out, one that grew
       * into the Top-N shown from the next ranking). While a database holds fewer relations than
       * top_n.relations (or indexes than top_n.indexes), it ranks every cycle.
       */
      interval_s: Type.Integer({ minimum: 1, maximum: 86_400, default: SIZE_RANKING_INTERVAL_S }),
    }),
    top_n: section({
      statements: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
      relations: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
      indexes: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    }),
    metrics: section({
      /**
       * Statements exported per target on /metrics (the pg_statement_* families): the ones with the
       * most execution time, as postgres_exporter limits its stat_statements export. The store keeps
       * the collector's whole Top-N lists (top_n.statements, by time, calls and blocks read); 0: no
       * statement families on /metrics.
       */
      statements_top_n: Type.Integer({ minimum: 0, maximum: 1000, default: 20 }),
    }),
    query_text: section({
      /** Characters of a session's query text kept in snapshots. */
      max_length: Type.Integer({ minimum: 0, maximum: 100_000, default: 1024 }),
      /** Replace literals with ? before a query text leaves the backend. */
      redact_literals: Type.Boolean({ default: true }),
    }),
    reconnect: section({
      /** How often a healthy target is probed. */
      probe_interval_s: Type.Integer({ minimum: 1, maximum: 3600, default: 5 }),
      initial_backoff_ms: Type.Integer({ minimum: 10, maximum: 600_000, default: 1000 }),
      max_backoff_ms: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
    }),
    memory: section({
      /** Ceiling for the process RSS: degraded at 85 %, orderly exit (for the supervisor to restart) above. */
      limit_mb: Type.Integer({ minimum: 64, maximum: 65_536, default: 512 }),
    }),
    shutdown_timeout_ms: Type.Integer({ minimum: 100, maximum: 60_000, default: 10_000 }),
    log: section({
      level: Type.Union(
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
        { default: 'info' },
      ),
    }),
  });

export type ConfigFile = Static<ReturnType<typeof configFileSchema>>;
export type GovernorMode = Static<typeof GovernorModeSchema>;
export type ConnectionSettings = ConfigFile['defaults']['connection'];
export type GovernorSettings = ConfigFile['defaults']['governor'];
export type TlsSettings = ConnectionSettings['tls'];
export type LoopSettings = ConfigFile['loops']['hot'];
export type LoopName = keyof ConfigFile['loops'];
export type CustomMetricConfig = ConfigFile['custom_metrics'][number];

/** A target with the defaults merged in and the safety caps applied. */
export interface TargetConfig {
  name: string;
  dsn: string;
  governorDsn: string;
  enabled: boolean;
  connection: ConnectionSettings;
  governor: GovernorSettings;
  pgbouncer?: { dsn: string };
}

/** What the rest of the backend reads. */
export interface Config extends Omit<ConfigFile, 'targets' | 'http'> {
  targets: TargetConfig[];
  http: ConfigFile['http'] & { host: string };
}
