import { sql } from '../alerts/helpers';
import { CHECKPOINT_CHECKS, TEMP_FILES_BY_DATABASE } from './guide-checks';
import { PLANNER_METHODS_OFF_BY_DEFAULT, SETTING_RULES } from './setting-rules';
import { FindingKind, runbookOf } from './types';

const MIB = 1024 ** 2;

export const SERVER_FINDINGS: FindingKind[] = [
  {
    id: 'frequent_checkpoints',
    title: 'Checkpoints requested too often',
    category: 'server',
    description:
      'Many checkpoints are requested (max_wal_size reached, CHECKPOINT commands) rather than timed: each brings a burst of writes and full-page images in the WAL.',
    severity: 'warning',
    inputs: [{ collector: 'checkpoints' }],
    counters: ['pg_checkpoints_requested_total', 'pg_checkpoints_timed_total'],
    params: {
      max_requested_ratio: {
        default: 0.2,
        unit: 'ratio',
        description: 'Requested / all checkpoints over the window, above: warning',
      },
      min_checkpoints: {
        default: 4,
        unit: 'count',
        description: 'Checkpoints in the window, at least (one manual CHECKPOINT is not thrash)',
      },
      window_s: { default: 3600, unit: 'seconds', description: 'Window the share is measured over' },
    },
    anchors:
      'the alert checkpoint_thrash (20 % over an hour); pgwatch bgwriter / checkpointer; check_postgres checkpoint',
    runbook: runbookOf('frequent_checkpoints'),
    relatedAlerts: ['checkpoint_thrash'],
    guide: {
      meaning:
        'Checkpoints start because WAL reached max_wal_size (or someone ran CHECKPOINT) rather than on checkpoint_timeout: they come too often, each is followed by a burst of full-page images in the WAL and write I/O, and latency suffers.',
      checks: CHECKPOINT_CHECKS,
      remediation: [
        "Raise max_wal_size so that checkpoint_timeout starts most checkpoints (no restart needed): `ALTER SYSTEM SET max_wal_size = '16GB'; SELECT pg_reload_conf();` and keep that much room on the WAL disk.",
        'Rule out CHECKPOINT commands in jobs and frequent base backups.',
      ],
    },
  },
  {
    id: 'temp_spill',
    title: 'Queries spilling to temporary files',
    category: 'server',
    description:
      'Sorts and hashes that do not fit in work_mem write temporary files at a high rate: disk I/O the queries wait on.',
    severity: 'warning',
    inputs: [{ collector: 'database_stats' }],
    counters: ['pg_database_temp_bytes_total'],
    params: {
      warning_bytes_per_second: {
        default: 10 * 1024 ** 2,
        unit: 'bytes_per_second',
        description: 'Temporary bytes written per second over the window, per database: warning',
      },
      window_s: { default: 900, unit: 'seconds', description: 'Window the rate is measured over' },
    },
    anchors:
      'the alert temp_surge (10 MiB/s floor); pgwatch db_stats temp_bytes; pganalyze (temp file usage)',
    runbook: runbookOf('temp_spill'),
    relatedAlerts: ['temp_surge'],
    guide: {
      meaning:
        'Sorts, hashes and materialisations that do not fit in work_mem write temporary files: the queries wait on disk I/O, and a burst of them can fill the disk that holds temp_tablespaces (by default the data directory).',
      checks: [
        TEMP_FILES_BY_DATABASE,
        {
          what: 'The statements that write the most temporary blocks (needs the pg_stat_statements extension in that database).',
          sql: sql`
            SELECT queryid, calls, temp_blks_written,
                   pg_size_pretty(temp_blks_written * current_setting('block_size')::bigint) AS temp_written,
                   left(query, 200) AS query
            FROM pg_stat_statements
            ORDER BY temp_blks_written DESC
            LIMIT 10;`,
        },
        {
          what: 'The memory settings in force, and whether temporary files are logged.',
          sql: sql`
            SELECT name, setting, unit, source
            FROM pg_settings
            WHERE name IN ('work_mem', 'hash_mem_multiplier', 'maintenance_work_mem',
                           'log_temp_files', 'temp_file_limit', 'temp_tablespaces');`,
        },
      ],
      remediation: [
        "Log the spills to find them: `ALTER DATABASE <database> SET log_temp_files = '10MB';` (the finding quotes it).",
        'Fix the statements first (an index that returns rows in order, fewer rows sorted, no huge hash joins).',
        "Raise work_mem for the role or the query, not globally (each sort or hash node of each session may use it): `ALTER ROLE <role> SET work_mem = '64MB';`",
      ],
    },
  },
  {
    id: 'settings_pending_restart',
    title: 'Settings waiting for a restart',
    category: 'server',
    description:
      'Settings changed in the configuration take effect only at the next restart: the running server differs from its configuration, and the next restart (maybe a failover) changes behaviour.',
    severity: 'warning',
    inputs: [{ collector: 'settings' }],
    params: {},
    anchors:
      'pgmonitor PGSettingsPendingRestart (critical there; warning here: nothing is broken until the restart)',
    runbook: runbookOf('settings_pending_restart'),
    guide: {
      meaning:
        'Settings were changed (postgresql.conf, ALTER SYSTEM) that take effect only at the next restart: the running server differs from its configuration, and the next restart, planned or a failover, changes its behaviour (memory, connections, WAL) at a moment nobody chose.',
      checks: [
        {
          what: 'The settings waiting for a restart, and the value running now.',
          sql: sql`
            SELECT name, setting AS running_value, unit, source, sourcefile
            FROM pg_settings
            WHERE pending_restart;`,
        },
        {
          what: 'The values in the configuration files, and any that could not be applied (as a superuser).',
          sql: sql`
            SELECT sourcefile, sourceline, name, setting, applied, error
            FROM pg_file_settings
            WHERE NOT applied OR error IS NOT NULL;`,
        },
      ],
      remediation: [
        'If the change is wanted, plan the restart (or a switchover to a standby restarted first), and check the values afterwards.',
        'If not, revert it in the configuration (`ALTER SYSTEM RESET <name>;` for ALTER SYSTEM changes) and `SELECT pg_reload_conf();`',
      ],
    },
  },
  {
    id: 'settings_sanity',
    title: 'Unsafe or unusual server setting',
    category: 'server',
    description:
      'A server-wide setting risks data (fsync, full_page_writes, zero_damaged_pages, session_replication_role), blinds autovacuum or monitoring (autovacuum, track_counts, track_activities), changes every plan (a planner enable_* off) or is far too small (shared_buffers). One finding per setting, with its own severity.',
    severity: 'warning',
    inputs: [{ collector: 'settings', queries: ['settings'] }],
    params: {
      min_shared_buffers_bytes: {
        default: 128 * MIB,
        unit: 'bytes',
        description:
          "shared_buffers below this: warning (PostgreSQL's own default; production servers use far more)",
      },
    },
    anchors:
      'pganalyze Settings (configuration check-up); PostgreSQL documentation of each setting; severities are ours (critical: data loss or corruption; warning: a broken safeguard or a setting that changes every plan; info: a legitimate trade-off)',
    runbook: runbookOf('settings_sanity'),
    guide: {
      meaning:
        'Only server-wide values count (postgresql.conf, ALTER SYSTEM, the command line; not a role or a session). What is flagged, and why: ' +
        SETTING_RULES.map(
          (r) => `\`${r.setting} = ${r.values.join(' | ')}\` (${r.severity}): ${r.reason}.`,
        ).join(' ') +
        ` \`shared_buffers\` below findings.settings_sanity.min_shared_buffers_bytes (warning): the server reads from the operating system's cache or disk what it should find in its own. Planner settings off by default (${PLANNER_METHODS_OFF_BY_DEFAULT.join(', ')}) are not flagged.`,
      checks: [
        {
          what: 'The flagged settings, where each value comes from (source, and the file and line for a configuration file as a superuser), and whether a change waits for a restart.',
          sql: sql`
            SELECT name, setting, unit, source, sourcefile, sourceline, context, pending_restart
            FROM pg_settings
            WHERE name IN ('fsync', 'full_page_writes', 'zero_damaged_pages', 'ignore_checksum_failure',
                           'session_replication_role', 'autovacuum', 'track_counts', 'track_activities',
                           'allow_system_table_mods', 'synchronous_commit', 'data_checksums', 'shared_buffers')
               OR (name LIKE 'enable%' AND setting = 'off')
            ORDER BY name;`,
        },
        {
          what: 'Settings made with ALTER SYSTEM (postgresql.auto.conf wins over postgresql.conf), and any that could not be applied (as a superuser).',
          sql: sql`
            SELECT sourcefile, sourceline, name, setting, applied, error
            FROM pg_file_settings
            ORDER BY sourcefile, sourceline;`,
        },
      ],
      remediation: [
        'Ask who set it and why first: a value set on purpose for a benchmark or a bulk load and never reverted is the usual story; synchronous_commit off can be a deliberate choice.',
        "Set in a configuration file or with ALTER SYSTEM: `ALTER SYSTEM SET <name> = '<safe value>';` then `SELECT pg_reload_conf();` (a restart for settings whose context is postmaster, e.g. shared_buffers). The finding gives the statement.",
        'Set on the command line (source command line) or in the environment: ALTER SYSTEM does not win over it; change the service definition and restart.',
        'data_checksums off: checksums are turned on with `pg_checksums --enable` on a cleanly stopped cluster (time proportional to its size), or on a new cluster (initdb --data-checksums, the default from PostgreSQL 18) that a replica or a dump/restore moves to.',
        'After fsync, full_page_writes or zero_damaged_pages were off, check the data for corruption (amcheck, a pg_dump of everything) before trusting it.',
      ],
    },
  },
];
