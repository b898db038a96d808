import { FastifyBaseLogger } from 'fastify';
import { LatestObservations } from '../collectors/latest-observations';
import { VariableName, VariableValue } from '../contract/variables';
import { HistoryReader } from '../store/types';
import { Catalog } from '../catalog/catalog';
import { allLatestSamples, latestSnapshotRows } from './latest-values';
import { fromStoreOrEmpty } from './store-errors';

export interface VariableScope {
  /** Chaining: values of this target only ($target). */
  target?: string;
  /** Chaining: relations and query ids of this database only ($database). */
  database?: string;
  /** Case-insensitive substring of the text. */
  search?: string;
  limit: number;
}

export interface VariableSources {
  catalog: Catalog;
  reader: HistoryReader;
  latest: LatestObservations;
  knownTargets: () => string[];
  log: FastifyBaseLogger;
}

const QUERY_TEXT_IN_LABEL = 60;

/** Values of a label in the latest samples, optionally of one target and one database. */
function latestLabel(sources: VariableSources, label: string, scope: VariableScope): string[] {
  const values = new Set<string>();
  for (const { sample } of allLatestSamples(sources.latest, sources.catalog, scope.target)) {
    const value = sample.labels[label];
    if (value === undefined) continue;
    if (scope.database !== undefined && label !== 'datname' && sample.labels.datname !== scope.database)
      continue;
    values.add(value);
  }
  return [...values];
}

/** Values of a column in the latest snapshots of a table. */
function latestColumn(
  sources: VariableSources,
  kind: string,
  column: string,
  scope: VariableScope,
): string[] {
  return latestSnapshotRows(sources.latest, sources.catalog, kind, scope.target)
    .filter(
      (row) => scope.database === undefined || row.datname === undefined || row.datname === scope.database,
    )
    .map((row) => row[column])
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map(String);
}

/**
 * Label values seen in the history store (series kept for the retention). The store cannot
 * narrow one label by another's value, so with a database given only memory answers.
 */
async function storedLabel(sources: VariableSources, label: string, scope: VariableScope): Promise<string[]> {
  if (scope.database !== undefined && label !== 'datname') return [];
  return fromStoreOrEmpty(
    sources.reader.labelValues(label, {
      ...(scope.target ? { target: scope.target } : {}),
      limit: scope.limit,
    }),
    sources.log,
    `values of ${label}`,
  );
}

async function labelFromBoth(
  sources: VariableSources,
  label: string,
  scope: VariableScope,
): Promise<string[]> {
  return [...latestLabel(sources, label, scope), ...(await storedLabel(sources, label, scope))];
}

const plain = (values: string[]): VariableValue[] => values.map((v) => ({ text: v, value: v }));

async function rawValues(
  name: VariableName,
  sources: VariableSources,
  scope: VariableScope,
): Promise<VariableValue[]> {
  switch (name) {
    case 'targets': {
      const stored = await fromStoreOrEmpty(
        sources.reader.labelValues('target', { limit: scope.limit }),
        sources.log,
        'targets',
      );
      return plain([...sources.knownTargets(), ...stored]);
    }
    case 'databases':
      return plain(await labelFromBoth(sources, 'datname', scope));
    case 'relations':
      return plain(await labelFromBoth(sources, 'relname', scope));
    case 'applications':
      return plain([
        ...(await labelFromBoth(sources, 'application', scope)),
        ...latestColumn(sources, 'sessions', 'application_name', scope),
      ]);
    case 'users':
      // Never a metric label (cardinality, privacy): only what the session and statement tables show now.
      return plain([
        ...latestColumn(sources, 'sessions', 'usename', scope),
        ...latestColumn(sources, 'top_statements', 'user', scope),
      ]);
    case 'queryids': {
      const texts = new Map<string, string>();
      for (const row of latestSnapshotRows(sources.latest, sources.catalog, 'top_statements', scope.target)) {
        if (typeof row.queryid === 'string' && typeof row.query === 'string')
          texts.set(row.queryid, row.query);
      }
      const ids = [
        ...(await labelFromBoth(sources, 'queryid', scope)),
        ...latestColumn(sources, 'top_statements', 'queryid', scope),
      ];
      return ids.map((id) => {
        const text = texts.get(id)?.replace(/\s+/g, ' ').slice(0, QUERY_TEXT_IN_LABEL);
        return { text: text ? `${id}: ${text}` : id, value: id };
      });
    }
    case 'metrics':
      return plain([...sources.catalog.metrics.keys()]);
    case 'tables':
      return plain([...sources.catalog.tables.keys()]);
  }
}

/** The values of a template variable: deduplicated by value, empty values dropped, sorted, at most `limit`. */
export async function variableValues(
  name: VariableName,
  sources: VariableSources,
  scope: VariableScope,
): Promise<VariableValue[]> {
  const byValue = new Map<string, VariableValue>();
  for (const v of await rawValues(name, sources, scope)) {
    if (v.value === '' || byValue.has(v.value)) continue;
    byValue.set(v.value, v);
  }
  const needle = scope.search?.toLowerCase();
  return [...byValue.values()]
    .filter((v) => needle === undefined || v.text.toLowerCase().includes(needle))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .slice(0, scope.limit);
}
