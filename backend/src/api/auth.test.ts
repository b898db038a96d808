import { requiredAccess } from './access-control';
import { bearerToken, TokenSet } from './auth';

describe('TokenSet', () => {
  const tokens = new TokenSet({ readTokens: ['read-token-aaaaaaaa'], adminTokens: ['admin-token-bbbbbbb'] });

  it('grants read to a read token and admin to an admin token', () => {
    expect(tokens.grant('read-token-aaaaaaaa')).toBe('read');
    expect(tokens.grant('admin-token-bbbbbbb')).toBe('admin');
  });

  it('grants nothing to a wrong token, a prefix, a longer token or an empty one', () => {
    for (const wrong of [
      'read-token-aaaaaaab',
      'read-token',
      'read-token-aaaaaaaa ',
      '',
      'x'.repeat(10_000),
    ]) {
      expect(tokens.grant(wrong)).toBeUndefined();
    }
  });

  it('is open only when no token is configured', () => {
    expect(tokens.open).toBe(false);
    expect(new TokenSet({ readTokens: [], adminTokens: [] }).open).toBe(true);
    expect(new TokenSet({ readTokens: [], adminTokens: ['admin-token-bbbbbbb'] }).open).toBe(false);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header, scheme case-insensitive', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
  });

  it('reads nothing from other schemes, bare tokens or several values', () => {
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
  });
});

describe('requiredAccess', () => {
  it('needs what the matched route declares, and a read token where it declares nothing', () => {
    expect(requiredAccess({ access: 'open' })).toBe('open');
    expect(requiredAccess({ access: 'admin' })).toBe('admin');
    expect(requiredAccess({})).toBe('read');
    expect(requiredAccess(undefined)).toBe('read');
  });
});
