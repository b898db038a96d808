import { parse } from 'yaml';
import { toYaml } from './yaml';

describe('toYaml', () => {
  it('puts the header lines right above the first key, "#" alone for an empty one', () => {
    expect(toYaml({ a: 1 }, ['Generated.', '', 'Do not edit.'])).toBe(
      '# Generated.\n#\n# Do not edit.\na: 1\n',
    );
  });

  it('writes no header without lines', () => {
    expect(toYaml({ a: 1 })).toBe('a: 1\n');
  });

  it('repeats a shared object rather than writing an anchor and an alias', () => {
    const shared = { uid: 'x' };
    const text = toYaml({ one: shared, two: shared });
    expect(text).toBe('one:\n  uid: x\ntwo:\n  uid: x\n');
  });

  it('keeps long lines whole and quotes with single quotes', () => {
    const long = `${'word '.repeat(40)}end`;
    const value = { long, braces: '{{ .CommonLabels.severity }}', colon: 'a: b' };
    const text = toYaml(value);
    expect(text.split('\n')[0]).toBe(`long: ${long}`);
    expect(text).toContain("braces: '{{ .CommonLabels.severity }}'");
    expect(text).toContain("colon: 'a: b'");
    expect(parse(text)).toEqual(value);
  });
});
