import type { Queryable } from './privileges';
import { pgStatStatementsUnusableReason, probePgStatStatements } from './server-info-pg-stat-statements';

/** What pg raises for a server error: an Error with the SQLSTATE in `code`. */
function serverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function failingClient(error: unknown): Queryable {
  return {
    query: async () => {
      throw error;
    },
  };
}

describe('pgStatStatementsUnusableReason', () => {
  it.each([
    ['42P01', 'relation "pg_stat_statements_info" does not exist'],
    ['42883', 'function pg_stat_statements(boolean) does not exist'],
  ])('asks for CREATE EXTENSION when the extension is missing in the database (%s)', (code, message) => {
    const reason = pgStatStatementsUnusableReason(serverError(code, message), 'shop');
    expect(reason).toContain('not created in database "shop"');
    expect(reason).toContain('CREATE EXTENSION pg_stat_statements');
  });

  it('asks for shared_preload_libraries when the library is not loaded (either quoting)', () => {
    for (const message of [
      'pg_stat_statements must be loaded via shared_preload_libraries',
      'pg_stat_statements must be loaded via "shared_preload_libraries"',
    ]) {
      const reason = pgStatStatementsUnusableReason(serverError('55000', message), 'shop');
      expect(reason).toContain('add it to shared_preload_libraries and restart');
    }
  });

  it('reports a permission problem as such', () => {
    const reason = pgStatStatementsUnusableReason(
      serverError('42501', 'permission denied for function pg_stat_statements'),
      'shop',
    );
    expect(reason).toContain('permission denied');
    expect(reason).toContain('EXECUTE');
  });

  it('passes any other server error on with its message', () => {
    const reason = pgStatStatementsUnusableReason(
      serverError('57014', 'canceling statement due to statement timeout'),
      'shop',
    );
    expect(reason).toBe('pg_stat_statements cannot be read: canceling statement due to statement timeout');
  });

  it('does not mistake another 55000 error for a missing preload', () => {
    const reason = pgStatStatementsUnusableReason(serverError('55000', 'something else'), 'shop');
    expect(reason).toBe('pg_stat_statements cannot be read: something else');
  });
});

describe('probePgStatStatements', () => {
  it('is usable when the probe succeeds', async () => {
    const client: Queryable = { query: async () => ({ rows: [] }) };
    await expect(probePgStatStatements(client, 'postgres')).resolves.toEqual({ usable: true });
  });

  it('is not usable, with the reason, when the server refuses', async () => {
    const client = failingClient(serverError('42883', 'function pg_stat_statements(boolean) does not exist'));
    const status = await probePgStatStatements(client, 'shop');
    expect(status.usable).toBe(false);
    expect(status.reason).toContain('CREATE EXTENSION pg_stat_statements');
  });

  it('throws a connection error: it says nothing about pg_stat_statements', async () => {
    const client = failingClient(new Error('Connection terminated unexpectedly'));
    await expect(probePgStatStatements(client, 'shop')).rejects.toThrow('Connection terminated');
  });
});
