import { loadConfig } from './load';
import { maskConfig, maskDsn } from './mask';

describe('maskDsn', () => {
  it('hides the password and password parameters, keeps the rest', () => {
    expect(maskDsn('postgres://mon:s3cret@db:5432/app?sslmode=require')).toBe(
      'postgres://mon:***@db:5432/app?sslmode=require',
    );
    expect(maskDsn('postgres://mon@db/app?password=s3cret')).toBe('postgres://mon@db/app?password=***');
    expect(maskDsn('postgres://db/app')).toBe('postgres://db/app');
  });

  it('hides everything it cannot parse', () => {
    expect(maskDsn('host=db password=s3cret')).toBe('***');
  });
});

describe('maskConfig', () => {
  it('leaves no secret in the printed configuration', () => {
    const { config } = loadConfig({
      env: {
        PGG_TARGET_URL: 'postgres://mon:target-secret@db/app',
        PGG_STORE_URL: 'postgres://store:store-secret@db/history',
        PGG_READ_TOKENS: 'read-token-secret-0001',
        PGG_ADMIN_TOKENS: 'admin-token-secret-0001',
      },
    });
    const printed = JSON.stringify(maskConfig(config));
    for (const secret of ['target-secret', 'store-secret', 'read-token-secret', 'admin-token-secret']) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toContain('postgres://mon:***@db/app');
  });
});
