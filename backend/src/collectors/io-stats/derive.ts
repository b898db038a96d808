import { IO_COUNTERS } from '../../catalog/collectors/io-stats';
import { readValues } from '../database-stats/counters';
import { Sample } from '../types';

/** A row of sql/collectors/io-stats.pg*.sql: one (backend_type, object, context) of pg_stat_io. */
export interface IoStatsRow {
  backend_type: string;
  object: string;
  context: string;
  /** Counters: NULL where the operation cannot happen in the row (or times without track_io_timing). */
  [column: string]: unknown;
}

const COLUMNS = IO_COUNTERS.map((c) => c.column);

/** Each counter of each row as it reads; NULL counters give no sample. */
export function deriveIoStats(rows: IoStatsRow[]): Sample[] {
  const samples: Sample[] = [];
  for (const row of rows) {
    const labels = { backend_type: row.backend_type, object: row.object, context: row.context };
    const values = readValues(row, COLUMNS);
    for (const spec of IO_COUNTERS) {
      const value = values[spec.column];
      if (value !== undefined) samples.push({ metric: spec.metric, labels, value });
    }
  }
  return samples;
}
