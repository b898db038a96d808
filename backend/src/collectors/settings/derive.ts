import { CollectorState, CollectResult, Sample, SnapshotRow } from '../types';
import { GAUGE_SETTINGS } from '../../catalog/collectors/settings';
import { changedValues, settingChangeEvent } from '../setting-drift';
import { presentSetting, settingInBaseUnits } from './setting-values';

/** A row of sql/collectors/settings.pg*.sql. */
export interface SettingRow {
  name: string;
  setting: string | null;
  unit: string | null;
  vartype: string;
  context: string;
  source: string;
  pending_restart: boolean;
  can_read_file_settings: boolean;
  [key: string]: unknown;
}

/** A row of sql/collectors/settings-pending.pg*.sql: what the configuration files say. */
export interface FileSettingRow {
  name: string;
  setting: string | null;
  [key: string]: unknown;
}

export interface SettingChange {
  name: string;
  old: string | null;
  new: string | null;
  unit: string | null;
  source: string;
  detectedAt: number;
}

/** Changes kept for the drift snapshot, newest first. */
export const MAX_REMEMBERED_CHANGES = 100;

/**
 * Values set by the collector's own session (statement_timeout per loop budget,
 * application_name) or by its client say nothing about the server's configuration: no drift.
 */
const SESSION_SOURCES = new Set(['session', 'client']);

/** What the collector keeps between cycles, in context.state. */
export interface SettingsMemory {
  /**
   * Previous cycle's values by name, those the collector session set left out; undefined before the
   * first cycle. Raw: never leaves the process.
   */
  values: Map<string, string | null> | undefined;
  changedTotal: number;
  changes: SettingChange[];
  /** When each setting pending a restart was first seen pending. */
  pendingSince: Map<string, number>;
}

const MEMORY_KEY = 'settings';
const COMMAND_LINE = 'command line';

export function settingsMemory(state: CollectorState): SettingsMemory {
  let memory = state.get(MEMORY_KEY) as SettingsMemory | undefined;
  if (!memory) {
    memory = { values: undefined, changedTotal: 0, changes: [], pendingSince: new Map() };
    state.set(MEMORY_KEY, memory);
  }
  return memory;
}

/**
 * The settings table, drift against the previous cycle (value changes of server configuration;
 * the first cycle is the baseline; each change also a settings_drift event) and the settings
 * waiting for a restart. Updates `memory`.
 * `fileValues`: the configuration files' values by lower-case name, when readable.
 */
export function deriveSettings(
  rows: SettingRow[],
  fileValues: Map<string, string | null> | undefined,
  memory: SettingsMemory,
  now: number,
): CollectResult {
  const values = new Map(rows.filter((r) => !SESSION_SOURCES.has(r.source)).map((r) => [r.name, r.setting]));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const detected = changedValues(memory.values, values).map((c): SettingChange => ({
    ...c,
    unit: byName.get(c.name)?.unit ?? null,
    source: byName.get(c.name)?.source ?? '',
    detectedAt: now,
  }));
  memory.values = values;
  memory.changedTotal += detected.length;
  memory.changes = [...detected, ...memory.changes].slice(0, MAX_REMEMBERED_CHANGES);

  // PostgreSQL flags a postmaster setting given on the command line as pending whenever the files
  // hold another value, though the command line wins again at the restart: not pending.
  const pending = rows.filter((r) => r.pending_restart && r.source !== COMMAND_LINE);
  const pendingNames = new Set(pending.map((r) => r.name));
  for (const name of [...memory.pendingSince.keys()])
    if (!pendingNames.has(name)) memory.pendingSince.delete(name);
  for (const r of pending) if (!memory.pendingSince.has(r.name)) memory.pendingSince.set(r.name, now);

  const samples: Sample[] = [
    { metric: 'pg_settings_pending_restart', labels: {}, value: pending.length },
    { metric: 'pg_settings_changed_total', labels: {}, value: memory.changedTotal },
  ];
  const gaugeNames = new Set(GAUGE_SETTINGS);
  for (const r of rows) {
    if (!gaugeNames.has(r.name)) continue;
    const value = settingInBaseUnits(r.setting, r.unit);
    if (value !== undefined) samples.push({ metric: 'pg_setting', labels: { name: r.name }, value });
  }

  const driftRows: SnapshotRow[] = [
    ...pending.map((r): SnapshotRow => ({
      name: r.name,
      change: 'pending_restart',
      old: presentSetting(r.name, r.setting),
      new: fileValues ? presentSetting(r.name, fileValues.get(r.name.toLowerCase()) ?? null) : null,
      unit: r.unit,
      source: r.source,
      detected_at: memory.pendingSince.get(r.name) ?? now,
    })),
    ...memory.changes.map((c): SnapshotRow => ({
      name: c.name,
      change: 'changed',
      old: presentSetting(c.name, c.old),
      new: presentSetting(c.name, c.new),
      unit: c.unit,
      source: c.source,
      detected_at: c.detectedAt,
    })),
  ];
  return {
    samples,
    snapshots: [
      {
        kind: 'settings',
        rows: rows.map((r): SnapshotRow => ({
          name: r.name,
          setting: presentSetting(r.name, r.setting),
          unit: r.unit,
          vartype: r.vartype,
          context: r.context,
          source: r.source,
          pending_restart: r.pending_restart,
        })),
      },
      { kind: 'settings_drift', rows: driftRows },
    ],
    events: detected.map((c) =>
      settingChangeEvent('PostgreSQL', {
        name: c.name,
        old: presentSetting(c.name, c.old),
        new: presentSetting(c.name, c.new),
        unit: c.unit,
        source: c.source,
      }),
    ),
  };
}
