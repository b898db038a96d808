import { settingsDefinition } from '../../catalog/collectors/settings';
import { Interner } from '../../lib/interner';
import { Collector, CollectResult, SnapshotRow } from '../types';
import { deriveSettings, FileSettingRow, SettingRow, settingsMemory } from './derive';

/**
 * Names, units, types, contexts, sources and most values of settings are the same on every target
 * and every cycle: held once for all targets (a replica keeps every target's settings table as
 * latest observation and its values for drift), rather than once a target.
 */
const SHARED_TEXTS = new Interner(20_000);
/** Likewise the settings table's rows: most are alike on every target of a fleet. */
const SHARED_ROWS = new Interner<SnapshotRow>(20_000, (row) => JSON.stringify(row));

function shareTexts(row: SettingRow): SettingRow {
  row.name = SHARED_TEXTS.intern(row.name);
  row.setting = SHARED_TEXTS.intern(row.setting);
  row.unit = SHARED_TEXTS.intern(row.unit);
  row.vartype = SHARED_TEXTS.intern(row.vartype);
  row.context = SHARED_TEXTS.intern(row.context);
  row.source = SHARED_TEXTS.intern(row.source);
  return row;
}

function shareRows(result: CollectResult): CollectResult {
  const snapshots = result.snapshots?.map((s) =>
    s.kind === 'settings' ? { ...s, rows: s.rows.map((row) => SHARED_ROWS.intern(row)) } : s,
  );
  return { ...result, snapshots };
}

export const settingsCollector: Collector = {
  ...settingsDefinition,
  async collect(context) {
    const rows = (await context.query<SettingRow>('settings')).map(shareTexts);
    let fileValues: Map<string, string | null> | undefined;
    if (rows.some((r) => r.pending_restart) && rows[0]?.can_read_file_settings) {
      const files = await context.query<FileSettingRow>('settings-pending');
      fileValues = new Map(files.map((f) => [f.name.toLowerCase(), f.setting]));
    }
    return shareRows(deriveSettings(rows, fileValues, settingsMemory(context.state), context.now));
  },
};
