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
