import { MASK, presentSetting, settingInBaseUnits } from './setting-values';

describe('settingInBaseUnits', () => {
  it.each([
    ['16384', '8kB', 16384 * 8192],
    ['4096', 'kB', 4096 * 1024],
    ['1024', 'MB', 1024 ** 3],
    ['300', 's', 300],
    ['1500', 'ms', 1.5],
    ['1', 'min', 60],
    ['100', null, 100],
    ['0', 'ms', 0],
  ])('%s %s -> %d', (setting, unit, expected) =>
    expect(settingInBaseUnits(setting, unit)).toBeCloseTo(expected, 9),
  );

  it('gives up on -1 (auto/unlimited), text and unknown units', () => {
    expect(settingInBaseUnits('-1', 'kB')).toBeUndefined();
    expect(settingInBaseUnits('on', null)).toBeUndefined();
    expect(settingInBaseUnits('', null)).toBeUndefined();
    expect(settingInBaseUnits('3', 'furlong')).toBeUndefined();
  });
});

describe('presentSetting', () => {
  it('masks quoted (libpq escapes quotes with a backslash) and unquoted conninfo passwords', () => {
    expect(presentSetting('primary_conninfo', "host=a password='it\\'s x' user=r")).toBe(
      `host=a password=${MASK} user=r`,
    );
    expect(presentSetting('primary_conninfo', 'host=a PASSWORD = abc')).toBe(`host=a PASSWORD = ${MASK}`);
  });

  it('hides secret commands entirely and leaves the rest alone', () => {
    expect(presentSetting('ssl_passphrase_command', 'echo hunter2')).toBe(MASK);
    expect(presentSetting('ssl_passphrase_command', '')).toBe('');
    expect(presentSetting('work_mem', '4096')).toBe('4096');
  });
});
