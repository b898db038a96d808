import { consoleCommand } from './console-command';

describe('consoleCommand', () => {
  it('sends the admin console a bare SHOW command, without the file header', () => {
    for (const [name, command] of [
      ['pgbouncer/pools', 'SHOW POOLS'],
      ['pgbouncer/stats', 'SHOW STATS'],
      ['pgbouncer/clients', 'SHOW CLIENTS'],
      ['pgbouncer/databases', 'SHOW DATABASES'],
      ['pgbouncer/config', 'SHOW CONFIG'],
      ['pgbouncer/lists', 'SHOW LISTS'],
    ]) {
      expect(consoleCommand(name as string)).toBe(command);
    }
  });

  it('refuses a file that is not a single SHOW command', () => {
    expect(() => consoleCommand('custom/lower-statement-timeout')).toThrow(/not a PgBouncer SHOW command/);
  });
});
