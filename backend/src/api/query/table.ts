import { SnapshotRow } from '../../collectors/types';
import { DataFrameJSON, FrameNotice } from '../../contract/frames';
import { TableQuery } from '../../contract/query';
import { StoredEvent } from '../../store/types';
import { TableEntry } from '../../catalog/catalog';
import { badRequest, quote } from '../errors';
import { cellOf, ColumnSpec, tableFrame } from '../frames';
import { checkRetention, parseTime, TimeRange } from '../time-range';
import { QueryContext } from './context';
import { ColumnFilter, columnFilters, requestedTargets, rowMatches } from './filters';
import { topRows } from './table-sort';
import { findingRow } from '../findings';

const DEFAULT_ROW_LIMIT = 1000;
/** Events fetched when rows are filtered afterwards, so that the filter sees enough of them. */
const FILTERED_EVENTS_FETCH = 10_000;

export interface TablePlan {
  kind: 'table';
  refId: string;
  table: TableEntry;
  targets?: string[];
  asOf: 'latest' | number;
  filters: ColumnFilter[];
  limit: number;
  orderBy?: string;
  order: 'asc' | 'desc';
  range: TimeRange;
}

/** Checks a table query against the catalog; a 400 names the offending field. */
export function planTable(
  query: TableQuery,
  field: string,
  context: Pick<QueryContext, 'catalog'>,
  range: TimeRange,
  time: { now: number; retentionDays: number },
): TablePlan {
  const table = context.catalog.tables.get(query.table);
  if (!table) {
    throw badRequest(
      `${field}.table`,
      `unknown table ${quote(query.table)} (one of: ${[...context.catalog.tables.keys()].join(', ')})`,
    );
  }
  const names = columnsOf(table).map((c) => c.name);
  if (query.orderBy !== undefined && !names.includes(query.orderBy)) {
    throw badRequest(`${field}.orderBy`, `table ${table.kind} has no column ${query.orderBy}`);
  }
  const asOf =
    query.asOf === undefined || query.asOf === 'latest'
      ? 'latest'
      : parseTime(query.asOf, `${field}.asOf`, time.now);
  if (asOf !== 'latest') checkRetention(asOf, `${field}.asOf`, time.retentionDays, time.now);
  const plan: TablePlan = {
    kind: 'table',
    refId: query.refId,
    table,
    asOf,
    filters: columnFilters(query.filters, names, table.kind, `${field}.filters`),
    limit: query.limit ?? DEFAULT_ROW_LIMIT,
    order: query.order ?? 'desc',
    range,
  };
  const targets = requestedTargets(query);
  if (targets) plan.targets = targets;
  if (query.orderBy !== undefined) plan.orderBy = query.orderBy;
  return plan;
}

/** Snapshot tables get a leading target column, so that several targets fit one table. */
function columnsOf(table: TableEntry): ColumnSpec[] {
  return table.source === 'events' ? table.columns : [{ name: 'target', type: 'string' }, ...table.columns];
}

interface TargetRows {
  target: string;
  time: number;
  rows: SnapshotRow[];
}

/** A snapshot in the store counts as the latest for this many loop intervals (and a flush or two). */
const LATEST_IN_STORE_INTERVALS = 2;
const LATEST_IN_STORE_GRACE_MS = 15_000;

/**
 * The newest snapshot of a target another replica collects, from the store: as current as that
 * replica's writer (a flush interval behind), none if older than its loop would leave it.
 */
async function latestStoredRows(
  context: QueryContext,
  table: TableEntry,
  target: string,
  now: number,
): Promise<TargetRows | undefined> {
  const taken = await context.reader.snapshotAt(target, table.kind, now);
  if (!taken) return undefined;
  const intervalMs = table.loop && context.loopIntervalMs ? context.loopIntervalMs(table.loop) : 60_000;
  if (now - taken.time > LATEST_IN_STORE_INTERVALS * intervalMs + LATEST_IN_STORE_GRACE_MS) return undefined;
  return { target, time: taken.time, rows: taken.rows };
}

/** The newest snapshot held in memory, from every collector that takes this kind. */
function latestRows(context: QueryContext, table: TableEntry, target: string): TargetRows | undefined {
  let found: TargetRows | undefined;
  for (const collector of table.collectors) {
    const observation = context.latest.get(target, collector);
    const snapshot = observation?.snapshots.find((s) => s.kind === table.kind);
    if (!observation || !snapshot) continue;
    found ??= { target, time: observation.time, rows: [] };
    found.time = Math.max(found.time, observation.time);
    found.rows.push(...snapshot.rows);
  }
  return found;
}

async function snapshotTargets(context: QueryContext, plan: TablePlan): Promise<string[]> {
  if (plan.targets) return plan.targets;
  const known = new Set(context.knownTargets());
  // A time in the past may concern a target since removed from the configuration.
  if (plan.asOf !== 'latest') for (const t of await context.reader.labelValues('target')) known.add(t);
  return [...known].sort();
}

async function snapshotFrame(plan: TablePlan, context: QueryContext): Promise<DataFrameJSON> {
  const targets = await snapshotTargets(context, plan);
  const found = await Promise.all(
    targets.map(async (target): Promise<TargetRows | undefined> => {
      if (plan.asOf === 'latest')
        return context.collectsHere && !context.collectsHere(target)
          ? latestStoredRows(context, plan.table, target, Date.now())
          : latestRows(context, plan.table, target);
      const taken = await context.reader.snapshotAt(target, plan.table.kind, plan.asOf);
      return taken && { target, time: taken.time, rows: taken.rows };
    }),
  );
  const notices: FrameNotice[] = [];
  const takenAt = new Map<string, number>();
  const rows: SnapshotRow[] = [];
  found.forEach((entry, i) => {
    if (!entry) {
      notices.push({
        severity: 'info',
        text: `no ${plan.table.kind} snapshot of target ${targets[i]} ${plan.asOf === 'latest' ? 'yet' : 'at that time'}`,
      });
      return;
    }
    takenAt.set(entry.target, entry.time);
    for (const row of entry.rows) rows.push({ target: entry.target, ...row });
  });
  return finishFrame(plan, rows, { notices, takenAt: Object.fromEntries(takenAt) });
}

function eventRow(event: StoredEvent): SnapshotRow {
  return {
    time: event.time,
    target: event.target,
    kind: event.kind,
    severity: event.severity,
    title: event.title,
    text: event.text,
    tags: event.tags.join(', '),
    data: event.data ? JSON.stringify(event.data) : null,
  };
}

async function eventFrame(plan: TablePlan, context: QueryContext): Promise<DataFrameJSON> {
  const events = await context.reader.events({
    from: plan.range.from,
    to: plan.range.to,
    ...(plan.targets ? { targets: plan.targets } : {}),
    ...(plan.table.eventKinds?.length ? { kinds: plan.table.eventKinds } : {}),
    limit: plan.filters.length > 0 ? FILTERED_EVENTS_FETCH : plan.limit,
  });
  return finishFrame(plan, events.map(eventRow), { notices: [], takenAt: {} });
}

function finishFrame(
  plan: TablePlan,
  rows: SnapshotRow[],
  found: { notices: FrameNotice[]; takenAt: Record<string, number> },
): DataFrameJSON {
  const columns = columnsOf(plan.table);
  // Sort on typed values, so that a bigint sent as text sorts as a number.
  const typed = rows
    .filter((row) => rowMatches(row, plan.filters))
    .map((row) => Object.fromEntries(columns.map((c) => [c.name, cellOf(row[c.name], c.type)])));
  const meta = {
    ...(found.notices.length > 0 ? { notices: found.notices } : {}),
    custom: { asOf: plan.asOf, takenAt: found.takenAt, totalRows: typed.length },
  };
  return tableFrame({
    refId: plan.refId,
    name: plan.table.kind,
    columns,
    rows: topRows(typed, plan.orderBy, plan.order, plan.limit),
    meta,
  });
}

/** The findings held now (open, and resolved in the last day): there is no past to read them at. */
async function findingsFrame(plan: TablePlan, context: QueryContext): Promise<DataFrameJSON> {
  const notices: FrameNotice[] = [];
  if (!context.findings) notices.push({ severity: 'info', text: 'the findings engine is not running' });
  if (plan.asOf !== 'latest')
    notices.push({
      severity: 'info',
      text: 'findings are as of now; their history is in the events table (kind finding)',
    });
  const answer = await context.findings?.(plan.targets ? { targets: plan.targets } : {});
  const findings = answer?.findings ?? [];
  if (answer?.scope === 'replica')
    notices.push({
      severity: 'warning',
      text: "the history store did not answer: this replica's targets only",
    });
  for (const check of answer?.checks ?? [])
    if (check.state === 'failed')
      notices.push({
        severity: 'warning',
        text: `${check.kind} on ${check.target}: ${check.error ?? 'failed'}`,
      });
  return finishFrame(plan, findings.map(findingRow), { notices, takenAt: {} });
}

export async function runTable(plan: TablePlan, context: QueryContext): Promise<DataFrameJSON[]> {
  switch (plan.table.source) {
    case 'events':
      return [await eventFrame(plan, context)];
    case 'findings':
      return [await findingsFrame(plan, context)];
    default:
      return [await snapshotFrame(plan, context)];
  }
}
