import { changedValues, settingChangeEvent } from '../setting-drift';
import { CollectedEvent, CollectorState, Sample } from '../types';
import { presentPgBouncerSetting } from './config-values';
import { KeyValueRow } from './derive';

/** What the collector keeps between cycles, in context.state. */
export interface ConfigMemory {
  /** Previous cycle's SHOW CONFIG by key, undefined before the first. Raw: never leaves the process. */
  values: Map<string, string | null> | undefined;
  changedTotal: number;
}

const MEMORY_KEY = 'config';

export function configMemory(state: CollectorState): ConfigMemory {
  let memory = state.get(MEMORY_KEY) as ConfigMemory | undefined;
  if (!memory) {
    memory = { values: undefined, changedTotal: 0 };
    state.set(MEMORY_KEY, memory);
  }
  return memory;
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

/**
 * PgBouncer settings drift (check_postgres pgbouncer_checksum), the way the settings collector
 * watches PostgreSQL's: SHOW CONFIG against the previous cycle (the first is the baseline), each
 * changed value a settings_drift event (secrets masked), and a counter of changes. A RELOAD with an
 * edited file or a SET on the admin console both show. Updates `memory`.
 */
export function deriveConfigDrift(
  rows: KeyValueRow[],
  memory: ConfigMemory,
): { samples: Sample[]; events: CollectedEvent[] } {
  const values = new Map<string, string | null>();
  for (const row of rows) {
    const key = text(row.key);
    if (key) values.set(key, text(row.value));
  }
  const changes = changedValues(memory.values, values);
  memory.values = values;
  memory.changedTotal += changes.length;
  return {
    samples: [{ metric: 'pgbouncer_settings_changed_total', labels: {}, value: memory.changedTotal }],
    events: changes.map((c) =>
      settingChangeEvent('PgBouncer', {
        name: c.name,
        old: presentPgBouncerSetting(c.name, c.old),
        new: presentPgBouncerSetting(c.name, c.new),
      }),
    ),
  };
}
