import type { Queryable } from './privileges';
import { inspectServer } from './server-info';

const infoRow = {
  version_num: 160004,
  version: '16.4',
  in_recovery: false,
  role_name: 'pgg_monitor',
  database: 'shop',
  max_connections: 100,
  superuser_reserved_connections: 3,
  reserved_connections: 2,
  is_superuser: false,
  can_signal_backends: false,
  can_read_all_stats: true,
};

/** Answers server-info.sql with `row` and the pg_stat_statements probe with success. */
function fakeServer(row: Record<string, unknown>): Queryable {
  return {
    query: async (text: string) => ({ rows: text.includes('pg_stat_statements(false)') ? [] : [row] }),
  };
}

describe('inspectServer', () => {
  it('maps the row and subtracts both reserves from the usable connections', async () => {
    await expect(inspectServer(fakeServer(infoRow))).resolves.toEqual({
      versionNum: 160004,
      major: 16,
      version: '16.4',
      inRecovery: false,
      currentUser: 'pgg_monitor',
      database: 'shop',
      maxConnections: 100,
      superuserReservedConnections: 3,
      reservedConnections: 2,
      usableConnections: 95,
      isSuperuser: false,
      canSignalBackends: false,
      canReadAllStats: true,
      pgStatStatements: { usable: true },
    });
  });

  it('takes the major from server_version_num', async () => {
    const info = await inspectServer(
      fakeServer({ ...infoRow, version_num: 140023, reserved_connections: 0 }),
    );
    expect(info.major).toBe(14);
    expect(info.usableConnections).toBe(97);
  });

  it('fails loudly when the SQL and the code disagree on a column', async () => {
    await expect(inspectServer(fakeServer({ ...infoRow, max_connections: '100' }))).rejects.toThrow(
      /max_connections/,
    );
  });
});
