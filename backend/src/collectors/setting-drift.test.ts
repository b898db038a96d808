import { changedValues, settingChangeEvent } from './setting-drift';

describe('changedValues', () => {
  const values = (entries: [string, string | null][]) => new Map(entries);

  it('has nothing to compare on the first cycle', () => {
    expect(changedValues(undefined, values([['a', '1']]))).toEqual([]);
  });

  it('reports values that differ, NULL and empty included, and ignores names that come or go', () => {
    const before = values([
      ['same', '1'],
      ['changed', '1'],
      ['emptied', 'x'],
      ['nulled', 'y'],
      ['gone', '1'],
    ]);
    const after = values([
      ['same', '1'],
      ['changed', '2'],
      ['emptied', ''],
      ['nulled', null],
      ['new', '1'],
    ]);
    expect(changedValues(before, after)).toEqual([
      { name: 'changed', old: '1', new: '2' },
      { name: 'emptied', old: 'x', new: '' },
      { name: 'nulled', old: 'y', new: null },
    ]);
  });
});

describe('settingChangeEvent', () => {
  it('names the owner, the setting and both values, without a unit when there is none', () => {
    expect(settingChangeEvent('PgBouncer', { name: 'default_pool_size', old: '20', new: '30' })).toEqual({
      kind: 'settings_drift',
      severity: 'info',
      title: 'PgBouncer setting default_pool_size changed: 20 -> 30',
      text: 'PgBouncer setting default_pool_size was 20 and is now 30.',
      tags: ['pgbouncer', 'default_pool_size'],
      data: { owner: 'PgBouncer', name: 'default_pool_size', old: '20', new: '30' },
    });
  });

  it('shows an empty value as quotes', () => {
    expect(settingChangeEvent('PgBouncer', { name: 'logfile', old: '', new: '/x.log' }).title).toBe(
      "PgBouncer setting logfile changed: '' -> /x.log",
    );
  });

  it('says so when only a masked secret changed, rather than showing two equal values', () => {
    const event = settingChangeEvent('PgBouncer', { name: 'auth_user', old: '********', new: '********' });
    expect(event.title).toBe('PgBouncer setting auth_user changed (a masked secret)');
  });
});
