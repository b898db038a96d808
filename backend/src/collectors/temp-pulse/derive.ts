import { CounterReading, counterIncrease, readValues } from '../database-stats/counters';
import { Sample } from '../types';

/** A row of sql/collectors/temp-pulse.pg*.sql. */
export interface TempPulseRow {
  datid: number;
  temp_files: number;
  temp_bytes: number;
  stats_reset_ms: number | null;
  [key: string]: unknown;
}

/** The previous cycle's readings, kept in context.state. */
export interface TempReadings {
  at: number;
  /** By database oid. */
  databases: Map<number, CounterReading>;
}

/**
 * Cluster-wide temp file counters, and the bytes written since the previous cycle (and per
 * second). The increase is summed per database so that a reset of one database, or a dropped one,
 * never makes it negative; a database created since the previous cycle counted from zero.
 */
export function deriveTempPulse(
  rows: TempPulseRow[],
  previous: TempReadings | undefined,
  now: number,
): { samples: Sample[]; readings: TempReadings } {
  const readings: TempReadings = { at: now, databases: new Map() };
  let files = 0;
  let bytes = 0;
  let bytesSince = 0;
  for (const row of rows) {
    const reading: CounterReading = {
      at: now,
      epoch: String(row.stats_reset_ms ?? ''),
      values: readValues(row, ['temp_files', 'temp_bytes']),
    };
    readings.databases.set(row.datid, reading);
    const current = reading.values.temp_bytes ?? 0;
    files += reading.values.temp_files ?? 0;
    bytes += current;
    if (!previous) continue;
    const before = previous.databases.get(row.datid);
    bytesSince += before ? (counterIncrease(before, reading)?.increase.temp_bytes ?? 0) : current;
  }
  const samples: Sample[] = [
    { metric: 'pg_temp_files_total', labels: {}, value: files },
    { metric: 'pg_temp_bytes_total', labels: {}, value: bytes },
  ];
  const seconds = previous ? (now - previous.at) / 1000 : 0;
  if (seconds > 0) {
    samples.push(
      { metric: 'pg_temp_bytes_since_previous_cycle', labels: {}, value: bytesSince },
      { metric: 'pg_temp_bytes_per_second', labels: {}, value: bytesSince / seconds },
    );
  }
  return { samples, readings };
}
