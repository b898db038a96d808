import { quoteIdent, quoteLiteral } from '../quote';
import { Check, FindingDraft } from '../types';
import { bytes, count, duration, percent, text } from './helpers';

const total = (increases: { increase: number }[]) => increases.reduce((sum, i) => sum + i.increase, 0);

/** frequent_checkpoints: the requested share of the checkpoints over the window. */
export const frequentCheckpoints: Check = ({ increase, params }) => {
  const windowMs = (params.window_s as number) * 1000;
  const requestedSeries = increase('pg_checkpoints_requested_total', windowMs);
  const requested = total(requestedSeries);
  const all = requested + total(increase('pg_checkpoints_timed_total', windowMs));
  if (all < (params.min_checkpoints as number) || all === 0) return [];
  const ratio = requested / all;
  if (ratio <= (params.max_requested_ratio as number)) return [];
  const span = Math.max(0, ...requestedSeries.map((s) => s.spanMs)) / 1000;
  return [
    {
      object: { type: 'server', name: 'checkpointer' },
      severity: 'warning',
      title: `${percent(ratio)} of checkpoints were requested (${count(requested)} of ${count(all)} in ${duration(span)})`,
      detail:
        'Checkpoints come because WAL reached max_wal_size (or CHECKPOINT is run) rather than on checkpoint_timeout: each brings a burst of writes and full-page images in the WAL.',
      evidence: [
        { requested, timed: all - requested, window_seconds: Math.round(span), requested_ratio: ratio },
      ],
      remediation: {
        statements: [],
        steps: [
          "Raise max_wal_size (a ceiling, not an allocation) until most checkpoints are timed, e.g. to twice its value: ALTER SYSTEM SET max_wal_size = '...'; SELECT pg_reload_conf(); (no restart). Compare with the WAL written per checkpoint_timeout.",
          'If something runs CHECKPOINT on a schedule (backups, scripts), check that it has to.',
        ],
      },
    },
  ];
};

/** temp_spill: temporary bytes written per second over the window, per database. */
export const tempSpill: Check = ({ increase, params }) => {
  const findings: FindingDraft[] = [];
  for (const series of increase('pg_database_temp_bytes_total', (params.window_s as number) * 1000)) {
    if (series.spanMs <= 0) continue;
    const rate = series.increase / (series.spanMs / 1000);
    if (rate < (params.warning_bytes_per_second as number)) continue;
    const database = series.labels.datname ?? '?';
    findings.push({
      object: { type: 'database', name: database, database },
      severity: 'warning',
      title: `Database ${database} writes ${bytes(rate)}/s to temporary files`,
      detail: `${bytes(series.increase)} of temporary files in ${duration(series.spanMs / 1000)}: sorts and hashes larger than work_mem spill to disk.`,
      evidence: [
        {
          datname: database,
          temp_bytes: series.increase,
          window_seconds: Math.round(series.spanMs / 1000),
          bytes_per_second: rate,
        },
      ],
      remediation: {
        statements: [`ALTER DATABASE ${quoteIdent(database)} SET log_temp_files = ${quoteLiteral('10MB')};`],
        steps: [
          'Find the statements writing temp blocks (top statements table: temp_blks_written) and the sessions running them.',
          'Fix the query (an index for the ORDER BY, fewer rows), or raise work_mem for that role or query only (SET LOCAL work_mem): a global raise multiplies by every sort of every session.',
        ],
      },
    });
  }
  return findings;
};

/** settings_pending_restart: one finding listing the settings waiting for a restart. */
export const settingsPendingRestart: Check = ({ rows }) => {
  const pending = rows('settings_drift').filter((r) => r.change === 'pending_restart');
  if (pending.length === 0) return [];
  const names = pending.map((r) => text(r, 'name') ?? '?');
  return [
    {
      object: { type: 'server', name: 'configuration' },
      severity: 'warning',
      title: `${pending.length} setting${pending.length === 1 ? '' : 's'} waiting for a restart: ${names.join(', ')}`,
      detail: pending
        .map(
          (r) =>
            `${text(r, 'name')}: running ${text(r, 'old') ?? '?'}, configured ${text(r, 'new') ?? '(not readable)'}`,
        )
        .join('; '),
      evidence: pending,
      remediation: {
        statements: [],
        steps: [
          'Restart in a maintenance window (or switch over to an already restarted standby), or revert the change in the configuration files.',
          'Until then the running server differs from its configuration: a crash or failover restart applies the change unplanned.',
        ],
      },
    },
  ];
};
