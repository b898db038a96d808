import { CollectedEvent } from './types';

/**
 * Settings drift, shared by the collectors that watch a server's settings between cycles
 * (PostgreSQL's pg_settings, PgBouncer's SHOW CONFIG): which values changed, and each change as a
 * settings_drift event, so that it shows as an annotation.
 */

/** A setting whose value differs from the previous cycle's. */
export interface ValueChange {
  name: string;
  old: string | null;
  new: string | null;
}

/**
 * The settings whose value changed since the previous cycle: names present in both with different
 * values. Without a previous cycle (the first one, a restart of PG Governor) there is only a
 * baseline. A name that appears or disappears (an upgrade, a setting visible only to some roles)
 * is not a value change.
 */
export function changedValues(
  previous: ReadonlyMap<string, string | null> | undefined,
  current: ReadonlyMap<string, string | null>,
): ValueChange[] {
  if (!previous) return [];
  const changes: ValueChange[] = [];
  for (const [name, value] of current) {
    if (!previous.has(name)) continue;
    const before = previous.get(name) ?? null;
    if (before !== value) changes.push({ name, old: before, new: value });
  }
  return changes;
}

/** Whose settings: PostgreSQL's or PgBouncer's. */
export type SettingsOwner = 'PostgreSQL' | 'PgBouncer';

export interface SettingChangeDetail extends ValueChange {
  unit?: string | null;
  /** Where the new value comes from (pg_settings.source), when known. */
  source?: string | null;
}

const shown = (value: string | null) => (value === null ? 'NULL' : value === '' ? "''" : value);

/**
 * A setting change as an event of kind settings_drift. The values must already be as shown to
 * users (secrets masked): they go into the title, text and data.
 */
export function settingChangeEvent(owner: SettingsOwner, change: SettingChangeDetail): CollectedEvent {
  const unit = change.unit ? ` ${change.unit}` : '';
  const from = `${shown(change.old)}${change.old === null ? '' : unit}`;
  const to = `${shown(change.new)}${change.new === null ? '' : unit}`;
  const source = change.source ? ` (source: ${change.source})` : '';
  // Both values as shown are the same when only a masked secret changed (a password).
  const masked = change.old === change.new;
  return {
    kind: 'settings_drift',
    severity: 'info',
    title: masked
      ? `${owner} setting ${change.name} changed (a masked secret)`
      : `${owner} setting ${change.name} changed: ${from} -> ${to}`,
    text: masked
      ? `${owner} setting ${change.name} changed in a part that is masked: ${to}${source}.`
      : `${owner} setting ${change.name} was ${from} and is now ${to}${source}.`,
    tags: [owner.toLowerCase(), change.name],
    data: {
      owner,
      name: change.name,
      old: change.old,
      new: change.new,
      ...(change.unit ? { unit: change.unit } : {}),
      ...(change.source ? { source: change.source } : {}),
    },
  };
}
