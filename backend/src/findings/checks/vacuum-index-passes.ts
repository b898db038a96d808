import { SnapshotRow } from '../../collectors/types';
import { quoteLiteral } from '../quote';
import { Check, FindingDraft, Remediation } from '../types';
import { bytes, count, num, percent, text } from './helpers';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
/** Before PostgreSQL 17 a dead tuple takes an ItemPointerData of 6 bytes, in at most 1 GB. */
const TID_BYTES = 6;
/** That 1 GB ceiling as the progress view shows it (less the array's header): whatever the setting. */
const PRE17_CEILING_BYTES = GIB - MIB;

interface Passes {
  /** Index passes completed or under way. */
  known: number;
  /** Those plus the one the rest of the table needs when memory ran out before its end. */
  estimated: number;
  /** Share of the heap scanned, 0..1 (1 when unknown). */
  scanned: number;
}

function passesOf(row: SnapshotRow): Passes {
  const known = (num(row, 'index_vacuum_count') ?? 0) + (text(row, 'phase') === 'vacuuming indexes' ? 1 : 0);
  const total = num(row, 'heap_blks_total') ?? 0;
  const done = num(row, 'heap_blks_scanned') ?? total;
  const scanned = total > 0 ? Math.min(1, done / total) : 1;
  return { known, estimated: known + (known >= 1 && scanned < 1 ? 1 : 0), scanned };
}

/**
 * The dead-tuple memory the vacuum runs with: max_dead_tuple_bytes on 17+, max_dead_tuples of 6
 * bytes each before (then capped at 1 GB whatever the setting).
 */
function memoryOf(row: SnapshotRow): { bytes: number; tidArray: boolean; atCeiling: boolean } | undefined {
  const tidStore = num(row, 'max_dead_tuple_bytes');
  if (tidStore !== undefined) return { bytes: tidStore, tidArray: false, atCeiling: false };
  const tuples = num(row, 'max_dead_tuples');
  if (tuples === undefined) return undefined;
  const bytes = tuples * TID_BYTES;
  return { bytes, tidArray: true, atCeiling: bytes >= PRE17_CEILING_BYTES };
}

/** Enough memory for the whole table in one pass, as a round size: at least 64MB, at most 1GB before 17. */
function suggestedMemory(memoryBytes: number, passes: Passes, capped: boolean): string {
  const needed = (memoryBytes * passes.known) / Math.max(passes.scanned, 0.01);
  let mib = 64;
  while (mib * MIB < needed) mib *= 2;
  if (capped) mib = Math.min(mib, 1024);
  return mib % 1024 === 0 ? `${mib / 1024}GB` : `${mib}MB`;
}

function remediation(autovacuum: boolean, size: string, atCeiling: boolean): Remediation {
  if (atCeiling)
    return {
      statements: [],
      steps: [
        'The dead-tuple memory is at its 1 GB ceiling (before PostgreSQL 17): more memory does not help. Vacuum the table more often so each run finds fewer dead rows (a lower autovacuum_vacuum_scale_factor on it), drop indexes nobody uses (each pass reads them all), or upgrade to 17+, whose TID store has no such ceiling.',
      ],
    };
  if (autovacuum)
    return {
      statements: [
        `ALTER SYSTEM SET autovacuum_work_mem = ${quoteLiteral(size)};`,
        'SELECT pg_reload_conf();',
      ],
      steps: [
        `autovacuum_work_mem is per worker: up to autovacuum_max_workers times ${size} at once; make sure the server has that memory to spare.`,
        'Workers that start after the reload use it; let the running vacuum finish rather than cancel it (the work it did would be lost).',
      ],
    };
  return {
    statements: [`SET maintenance_work_mem = ${quoteLiteral(size)};`],
    steps: [
      'A manual VACUUM (a job or a script): set it in that session before its VACUUM next time; let the running one finish.',
    ],
  };
}

/** vacuum_index_passes: a running vacuum whose dead-tuple memory ran out, so it scans the indexes again. */
export const vacuumIndexPasses: Check = ({ rows, params }) => {
  const findings: FindingDraft[] = [];
  for (const row of rows('vacuum_progress')) {
    const passes = passesOf(row);
    if (passes.estimated < (params.min_index_passes as number)) continue;
    const memory = memoryOf(row);
    const relation = text(row, 'relation') ?? `relation oid ${num(row, 'relid') ?? '?'}`;
    const autovacuum = row.is_autovacuum === true;
    const setting = autovacuum
      ? 'autovacuum_work_mem (maintenance_work_mem when -1)'
      : 'maintenance_work_mem';
    // Unknown memory (a view with neither column): a common size as a start.
    const size = memory ? suggestedMemory(memory.bytes, passes, memory.tidArray) : '1GB';
    const atCeiling = memory?.atCeiling === true;
    const mem = memory ? bytes(memory.bytes) : 'unknown';
    findings.push({
      object: { type: 'relation', name: relation, database: text(row, 'datname') ?? null },
      severity: atCeiling ? 'info' : 'warning',
      title: `${autovacuum ? 'Autovacuum' : 'VACUUM'} of ${relation}: ${count(passes.known)} index pass${passes.known === 1 ? '' : 'es'} so far, ${mem} of dead-tuple memory`,
      detail:
        `The vacuum filled its ${mem} of dead-tuple memory (${setting}) after ${percent(passes.scanned)} of the table and scans every index of it once per fill: ` +
        `${count(passes.known)} pass${passes.known === 1 ? '' : 'es'} done or under way` +
        `${passes.estimated > passes.known ? ', at least one more for the rest of the table' : ''}.`,
      evidence: [
        {
          relation,
          datname: text(row, 'datname') ?? null,
          phase: text(row, 'phase') ?? null,
          is_autovacuum: autovacuum,
          index_vacuum_count: num(row, 'index_vacuum_count') ?? null,
          index_passes: passes.estimated,
          heap_scanned_ratio: passes.scanned,
          memory_setting: setting,
          dead_tuple_memory_bytes: memory?.bytes ?? null,
          suggested_memory: atCeiling ? null : size,
        },
        row,
      ],
      remediation: remediation(autovacuum, size, atCeiling),
    });
  }
  return findings;
};
