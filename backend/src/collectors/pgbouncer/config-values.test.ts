import { MASK } from '../settings/setting-values';
import { presentPgBouncerSetting } from './config-values';

describe('presentPgBouncerSetting', () => {
  it.each([
    ['auth_user', 'lookup'],
    ['auth_query', 'SELECT usename, passwd FROM pg_shadow WHERE usename=$1'],
    ['auth_file', '/etc/pgbouncer/userlist.txt'],
    ['auth_dbname', 'authdb'],
    ['auth_hba_file', '/etc/pgbouncer/hba.conf'],
    ['auth_ident_file', '/etc/pgbouncer/ident.map'],
    ['ldap_password', 'x'],
    ['peer_dsn', 'host=a'],
  ])('masks %s whole', (key, value) => expect(presentPgBouncerSetting(key, value)).toBe(MASK));

  it('shows the auth method, ordinary settings, and empty or NULL values as they are', () => {
    expect(presentPgBouncerSetting('auth_type', 'scram-sha-256')).toBe('scram-sha-256');
    expect(presentPgBouncerSetting('default_pool_size', '20')).toBe('20');
    expect(presentPgBouncerSetting('auth_user', '')).toBe('');
    expect(presentPgBouncerSetting('auth_user', null)).toBeNull();
  });

  it('masks a connection-string password inside any other value', () => {
    expect(presentPgBouncerSetting('server_check_query', "select 'password=hunter2'")).toBe(
      `select 'password=${MASK}`,
    );
  });
});
