import { SnapshotRow } from '../../collectors/types';
import { sanitizeLabelValue } from '../../lib/label-value';
import { quoteIdent } from '../quote';
import { Check, CounterIncrease, FindingDraft } from '../types';
import { count, duration, evidence, levelOf, num, text } from './helpers';

const nameOf = (row: SnapshotRow) => text(row, 'subscription') ?? '?';

/** ALTER/DROP SUBSCRIPTION find a subscription by name in the database they run in. */
const inDatabase = (database: string | null) =>
  database ? ` (connected to database ${database}: a subscription is found by name in its own database)` : '';

/** subscription_down: an enabled subscription without its apply worker for long; a disabled one (info). */
export const subscriptionDown: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('subscriptions')) {
    const name = nameOf(row);
    const database = text(row, 'database') ?? null;
    const object = { type: 'subscription' as const, name, database };
    if (row.enabled === false) {
      findings.push({
        object,
        severity: 'info',
        title: `Subscription ${name} is disabled`,
        detail: `Subscription ${name} replicates nothing while it is disabled (by ALTER SUBSCRIPTION ... DISABLE, or by disable_on_error after an error), and the publisher keeps WAL for its slot${text(row, 'slot_name') ? ` ${text(row, 'slot_name')}` : ''}.`,
        evidence: [row],
        remediation: {
          statements: [`ALTER SUBSCRIPTION ${quoteIdent(name)} ENABLE;`],
          steps: [
            `If it should replicate, enable it${inDatabase(database)}; if it was disabled after an error, fix the error first (the server log, pg_stat_subscription_stats).`,
            'If it is not needed any more, drop it (DROP SUBSCRIPTION also drops its slot on the publisher when it can reach it): a disabled subscription keeps the slot, and the WAL, there.',
          ],
        },
      });
      continue;
    }
    const down = num(row, 'worker_down_seconds');
    if (down === undefined) continue;
    const severity = levelOf(down, params.warning_down_s as number, params.critical_down_s as number);
    if (!severity) continue;
    findings.push({
      object,
      severity,
      title: `Subscription ${name} has had no apply worker for ${duration(down)}`,
      detail: `Subscription ${name} is enabled but its apply worker has not been seen running for ${duration(down)}: nothing of it replicates. The worker keeps failing (an apply error), cannot reach the publisher, or finds no free worker slot.`,
      evidence: [row],
      remediation: {
        statements: [],
        steps: [
          "Read the subscriber's server log for the apply worker's error, and pg_stat_subscription_stats (15+) for the error counts.",
          'A conflicting or missing row, table or column on the subscriber: fix it there; the worker retries by itself.',
          'Cannot connect: check the publisher, the network and the connection string (as the subscription owner or a superuser).',
          'No free worker: raise max_logical_replication_workers (and max_worker_processes; restart).',
        ],
      },
    });
  }
  return findings;
};

const seriesKey = (labels: Record<string, string>) =>
  `${labels.datname ?? ''}\u0000${labels.subscription ?? ''}`;

function byKey(series: CounterIncrease[]): Map<string, CounterIncrease> {
  return new Map(series.map((s) => [seriesKey(s.labels), s]));
}

/**
 * Names the subscription of a counter's series (its labels are sanitized) from the snapshot row,
 * or from the labels when the snapshot lacks it.
 */
function subscriptionsByLabels(rows: SnapshotRow[]) {
  const byKey = new Map(
    rows.map((r) => [
      seriesKey({
        datname: sanitizeLabelValue(text(r, 'database') ?? ''),
        subscription: sanitizeLabelValue(nameOf(r)),
      }),
      r,
    ]),
  );
  return (labels: Record<string, string>) => {
    const row = byKey.get(seriesKey(labels));
    return {
      row,
      name: row ? nameOf(row) : (labels.subscription ?? '?'),
      database: row ? (text(row, 'database') ?? null) : (labels.datname ?? null),
    };
  };
}

/** subscription_errors: apply and table sync errors of a subscription over the window (15+). */
export const subscriptionErrors: Check = ({ rows, increase, params }) => {
  const windowMs = (params.window_s as number) * 1000;
  const apply = byKey(increase('pg_subscription_apply_errors_total', windowMs));
  const sync = byKey(increase('pg_subscription_sync_errors_total', windowMs));
  const subscriptionOf = subscriptionsByLabels(rows('subscriptions'));
  const findings: FindingDraft[] = [];
  for (const key of new Set([...apply.keys(), ...sync.keys()])) {
    const applyErrors = apply.get(key)?.increase ?? 0;
    const syncErrors = sync.get(key)?.increase ?? 0;
    const errors = applyErrors + syncErrors;
    if (errors <= 0) continue;
    const severity =
      applyErrors >= (params.critical_apply_errors as number)
        ? 'critical'
        : errors >= (params.warning_errors as number)
          ? 'warning'
          : undefined;
    if (!severity) continue;
    const { row, name, database } = subscriptionOf((apply.get(key) ?? sync.get(key))?.labels ?? {});
    const span = Math.max(apply.get(key)?.spanMs ?? 0, sync.get(key)?.spanMs ?? 0) / 1000;
    const what = [
      applyErrors > 0 ? `${count(applyErrors)} apply error${applyErrors === 1 ? '' : 's'}` : '',
      syncErrors > 0 ? `${count(syncErrors)} table sync error${syncErrors === 1 ? '' : 's'}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    findings.push({
      object: { type: 'subscription', name, database },
      severity,
      title: `Subscription ${name}: ${what} in ${duration(span)}`,
      detail:
        applyErrors > 0
          ? `The apply worker of ${name} failed ${count(applyErrors)} times: it stops at the failing transaction and retries it, so nothing of the subscription replicates until the cause is fixed, and the publisher retains WAL meanwhile.`
          : `Table synchronization of ${name} failed ${count(syncErrors)} times: the tables it copies stay not ready (and are retried).`,
      evidence: [
        {
          ...(row ?? { subscription: name, database }),
          apply_errors_in_window: applyErrors,
          sync_errors_in_window: syncErrors,
          window_seconds: Math.round(span),
        },
      ],
      remediation: {
        statements: [],
        steps: [
          "Read the error in the subscriber's server log: it names the table, the constraint and (15+) the failing transaction's finish LSN.",
          'Fix the data on the subscriber (a row that already exists, a missing table or column, a permission); the workers retry by themselves.',
          `Only to give a transaction up (its changes are lost on the subscriber): ALTER SUBSCRIPTION ${quoteIdent(name)} SKIP (lsn = '<finish LSN from the log>');${inDatabase(database)}`,
        ],
      },
    });
  }
  return findings;
};

const SKIPPED = ['update_missing', 'delete_missing'];
const OVERWRITTEN = ['update_origin_differs', 'delete_origin_differs'];

/**
 * subscription_conflicts (18+): per subscription, changes skipped (rows missing on the subscriber:
 * warning) or applied over another origin's (info) in the window. Those that stop the worker are
 * subscription_errors'.
 */
export const subscriptionConflicts: Check = ({ rows, increase, params }) => {
  const windowMs = (params.window_s as number) * 1000;
  const bySubscription = new Map<
    string,
    { labels: Record<string, string>; spanMs: number; counts: Record<string, number> }
  >();
  for (const series of increase('pg_subscription_conflicts_total', windowMs)) {
    const key = seriesKey(series.labels);
    const entry = bySubscription.get(key) ?? { labels: series.labels, spanMs: 0, counts: {} };
    entry.counts[series.labels.conflict ?? '?'] = series.increase;
    entry.spanMs = Math.max(entry.spanMs, series.spanMs);
    bySubscription.set(key, entry);
  }
  const subscriptionOf = subscriptionsByLabels(rows('subscriptions'));
  const findings: FindingDraft[] = [];
  for (const { labels, spanMs, counts } of bySubscription.values()) {
    const sum = (kinds: string[]) => kinds.reduce((n, k) => n + (counts[k] ?? 0), 0);
    const skipped = sum(SKIPPED);
    const overwritten = sum(OVERWRITTEN);
    const severity =
      skipped >= (params.warning_skipped as number) && skipped > 0
        ? 'warning'
        : overwritten > 0
          ? 'info'
          : undefined;
    if (!severity) continue;
    const { name, database } = subscriptionOf(labels);
    const span = duration(spanMs / 1000);
    findings.push({
      object: { type: 'subscription', name, database },
      severity,
      title:
        severity === 'warning'
          ? `Subscription ${name}: ${count(skipped)} change${skipped === 1 ? '' : 's'} skipped in ${span}, rows missing on the subscriber`
          : `Subscription ${name}: ${count(overwritten)} change${overwritten === 1 ? '' : 's'} of another origin overwritten in ${span}`,
      detail:
        severity === 'warning'
          ? `The apply worker of ${name} found no row to update or delete ${count(skipped)} times and skipped those changes: the subscriber's tables no longer match the publisher's.`
          : `The apply worker of ${name} applied ${count(overwritten)} changes over rows another origin (a local write, another subscription) changed last.`,
      evidence: [
        {
          subscription: name,
          database,
          ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${k}_in_window`, v])),
          window_seconds: Math.round(spanMs / 1000),
        },
      ],
      remediation: {
        statements: [],
        steps: [
          `Read the conflicts in the subscriber's server log ("conflict detected on relation ..."): each names the relation and the key.`,
          'Stop what writes those tables on the subscriber, then copy the missing rows from the publisher (or resynchronize the table).',
          `To resynchronize: empty the table on the subscriber, drop it from the publication and add it back, and run ALTER SUBSCRIPTION ${quoteIdent(name)} REFRESH PUBLICATION WITH (copy_data = true);${inDatabase(database)}`,
        ],
      },
    });
  }
  return findings;
};

/** subscription_sync_stuck: per subscription, the tables not ready for longer than the threshold. */
export const subscriptionSyncStuck: Check = ({ rows, params }) => {
  const stuck = new Map<string, SnapshotRow[]>();
  for (const row of rows('subscription_tables')) {
    if ((num(row, 'not_ready_seconds') ?? 0) < (params.warning_s as number)) continue;
    const name = nameOf(row);
    stuck.set(name, [...(stuck.get(name) ?? []), row]);
  }
  const findings: FindingDraft[] = [];
  for (const [name, tables] of stuck) {
    // Only the target database's subscriptions have their tables listed (known sync states).
    const subscription = rows('subscriptions').find(
      (r) => nameOf(r) === name && num(r, 'tables_ready') !== undefined,
    );
    const oldest = tables.reduce((a, b) =>
      (num(b, 'not_ready_seconds') ?? 0) > (num(a, 'not_ready_seconds') ?? 0) ? b : a,
    );
    const shown = (r: SnapshotRow) => `${text(r, 'schemaname') ?? ''}.${text(r, 'relname') ?? '?'}`;
    const since = num(oldest, 'not_ready_seconds') ?? 0;
    findings.push({
      object: {
        type: 'subscription',
        name,
        database: subscription ? (text(subscription, 'database') ?? null) : null,
      },
      severity: 'warning',
      title: `Subscription ${name}: ${tables.length} table${tables.length === 1 ? '' : 's'} not ready for over ${duration(params.warning_s as number)} (${shown(oldest)}: ${text(oldest, 'state') ?? '?'} for ${duration(since)})`,
      detail: `The initial copy of ${tables.map(shown).join(', ')} has not finished: it fails and is retried, waits for a sync worker, or is very large. Until a table is ready it is not replicated.${subscription ? ` Sync workers running: ${num(subscription, 'sync_workers') ?? 0}.` : ''}`,
      evidence: evidence(tables),
      remediation: {
        statements: [],
        steps: [
          'A copy that fails (sync errors; the server log: "table synchronization worker"): usually rows already in the table on the subscriber (the copy expects it empty) or a missing column. Fix it there; the copy retries by itself.',
          'Waiting for a worker: raise max_sync_workers_per_subscription (and max_logical_replication_workers, max_worker_processes).',
          'A very large table still copying: let it finish, and watch the WAL its copy slot retains on the publisher.',
        ],
      },
    });
  }
  return findings;
};
