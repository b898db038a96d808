import { isTransientStoreError } from './transient-error';

const pgError = (code: string) => Object.assign(new Error(code), { code });

describe('isTransientStoreError', () => {
  it('retries what a store outage or restart looks like', () => {
    expect(isTransientStoreError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientStoreError(new Error('Connection terminated unexpectedly'))).toBe(true);
    for (const code of ['57P01', '57P03', '08006', '53300', '40P01', '57014', '55P03', '23514'])
      expect(isTransientStoreError(pgError(code))).toBe(true);
  });

  it('does not retry what the store rejects as data, nor our own bugs', () => {
    for (const code of ['22P02', '22P05', '42P01', '42703', '23505'])
      expect(isTransientStoreError(pgError(code))).toBe(false);
    expect(isTransientStoreError(new TypeError('Do not know how to serialize a BigInt'))).toBe(false);
  });
});
