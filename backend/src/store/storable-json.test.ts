import { storableJson, storableText } from './storable-json';

it('replaces lone surrogates and removes NUL, keeping valid pairs', () => {
  expect(storableText('a\ud800b\udc00c\0d')).toBe('a\ufffdb\ufffdcd');
  expect(storableText('emoji \ud83d\ude00')).toBe('emoji \ud83d\ude00');
  expect(storableText('plain')).toBe('plain');
});

it('makes keys and nested values storable', () => {
  expect(JSON.parse(storableJson({ 'k\ud800': ['v\0', { x: '\udfff' }], n: 1 }))).toEqual({
    'k\ufffd': ['v', { x: '\ufffd' }],
    n: 1,
  });
});

it('gives what the replacing path gives, taking it only for what needs it', () => {
  const value = { a: ['x', 1, null, { 'b\\u0000': 'c \ud83d\ude00 \\ud800' }], d: new Date(0), e: undefined };
  // storable as it is (the backslashes are text): unchanged
  expect(storableJson(value)).toBe(JSON.stringify(value));
  expect(JSON.parse(storableJson([{ k: 'v\ud800', 'n\0': 1 }]))).toEqual([{ k: 'v\ufffd', n: 1 }]);
  expect(storableJson(undefined)).toBe('null');
});
