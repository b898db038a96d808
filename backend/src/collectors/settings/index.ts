import { settingsDefinition } from '../../catalog/collectors/settings';
import { Collector } from '../types';
import { deriveSettings, FileSettingRow, SettingRow, settingsMemory } from './derive';

export const settingsCollector: Collector = {
  ...settingsDefinition,
  async collect(context) {
    const rows = await context.query<SettingRow>('settings');
    let fileValues: Map<string, string | null> | undefined;
    if (rows.some((r) => r.pending_restart) && rows[0]?.can_read_file_settings) {
      const files = await context.query<FileSettingRow>('settings-pending');
      fileValues = new Map(files.map((f) => [f.name.toLowerCase(), f.setting]));
    }
    return deriveSettings(rows, fileValues, settingsMemory(context.state), context.now);
  },
};
