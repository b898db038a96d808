import { Severity } from '../../config/alerts-schema';

/**
 * The settings a senior DBA looks at first on a server they do not know: values that risk data
 * (durability, corruption detection, integrity), that blind autovacuum or monitoring, or that
 * change every plan. Each with its severity and why. settings_sanity reads them from the settings
 * snapshot; its runbook lists them.
 */
export interface SettingRule {
  /** A setting name, or a family: a prefix ending in `*` (enable_*). */
  setting: string;
  /** The values that are unsafe or unusual, as pg_settings.setting shows them. */
  values: string[];
  severity: Severity;
  /** Why it matters, for whoever reads the finding. */
  reason: string;
  /** The value to set instead; null when no setting change fixes it (data_checksums). */
  safe: string | null;
}

export const SETTING_RULES: readonly SettingRule[] = [
  {
    setting: 'fsync',
    values: ['off'],
    severity: 'critical',
    reason:
      'writes are never forced to disk: an operating-system crash or power loss can leave the cluster corrupted beyond repair, not just missing its last transactions',
    safe: 'on',
  },
  {
    setting: 'full_page_writes',
    values: ['off'],
    severity: 'warning',
    reason:
      'a crash in the middle of a page write leaves a torn page that WAL replay cannot repair; safe only on storage that never tears an 8 kB write (e.g. ZFS)',
    safe: 'on',
  },
  {
    setting: 'zero_damaged_pages',
    values: ['on'],
    severity: 'critical',
    reason:
      'a damaged page is zeroed when read instead of raising an error: its rows are gone for good, and nobody is told',
    safe: 'off',
  },
  {
    setting: 'ignore_checksum_failure',
    values: ['on'],
    severity: 'warning',
    reason: 'checksum failures only warn: corrupted data is read, returned and may be copied on',
    safe: 'off',
  },
  {
    setting: 'session_replication_role',
    values: ['replica'],
    severity: 'critical',
    reason:
      'for every session, ordinary triggers do not fire, and neither do the ones that check foreign keys: rows that break them are accepted',
    safe: 'origin',
  },
  {
    setting: 'autovacuum',
    values: ['off'],
    severity: 'warning',
    reason:
      'dead rows pile up and planner statistics go stale; only the anti-wraparound vacuums still run, late and all at once',
    safe: 'on',
  },
  {
    setting: 'track_counts',
    values: ['off'],
    severity: 'warning',
    reason:
      'no table activity is counted: autovacuum cannot tell what needs a vacuum or an analyze, and the pg_stat views (and PG Governor) show nothing',
    safe: 'on',
  },
  {
    setting: 'track_activities',
    values: ['off'],
    severity: 'warning',
    reason:
      'pg_stat_activity shows no state or query for sessions: idle, active and idle-in-transaction sessions look alike to whoever is on call (and to the governor)',
    safe: 'on',
  },
  {
    setting: 'enable_*',
    values: ['off'],
    severity: 'warning',
    reason:
      'the planner avoids a whole plan type for every query of every session, and the queries that need it slow down; usually left over from debugging (set it for one session or role instead)',
    safe: 'on',
  },
  {
    setting: 'allow_system_table_mods',
    values: ['on'],
    severity: 'warning',
    reason: 'superusers may change the structure of system catalogs, which can break the cluster',
    safe: 'off',
  },
  {
    setting: 'synchronous_commit',
    values: ['off'],
    severity: 'info',
    reason:
      'a commit returns before its WAL is on disk: a crash loses the last transactions already acknowledged (never corrupts); a legitimate trade-off when chosen on purpose',
    safe: 'on',
  },
  {
    setting: 'data_checksums',
    values: ['off'],
    severity: 'info',
    reason: 'pages carry no checksum: corruption by the storage goes unnoticed until it breaks a query',
    safe: null,
  },
];

/** Planner method settings that are off by default: off there is nobody's choice. */
export const PLANNER_METHODS_OFF_BY_DEFAULT: readonly string[] = [
  'enable_partitionwise_aggregate',
  'enable_partitionwise_join',
];

/** The rule a setting falls under, if any. */
export function settingRuleOf(name: string): SettingRule | undefined {
  if (PLANNER_METHODS_OFF_BY_DEFAULT.includes(name)) return undefined;
  return SETTING_RULES.find((r) =>
    r.setting.endsWith('*') ? name.startsWith(r.setting.slice(0, -1)) : r.setting === name,
  );
}
