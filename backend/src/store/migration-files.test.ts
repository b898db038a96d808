import { migrationOrder, readMigrations } from './migration-files';

describe('store migration files', () => {
  it('orders by number, not by name, and ignores other files', () => {
    const order = migrationOrder([
      '010_later.sql',
      'README.md',
      '002_b.sql',
      '9_c.sql',
      'queries',
      '001_a.sql',
    ]);
    expect(order.map((m) => m.name)).toEqual(['001_a.sql', '002_b.sql', '9_c.sql', '010_later.sql']);
    expect(order.map((m) => m.version)).toEqual([1, 2, 9, 10]);
  });

  it('refuses two files with the same number', () => {
    expect(() => migrationOrder(['001_a.sql', '1_b.sql'])).toThrow(/share version 1/);
  });

  it('finds the repository migrations in order, with checksums', () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    expect(migrations[0]?.name).toBe('001_tables.sql');
    expect(migrations.map((m) => m.version)).toEqual(
      [...migrations.map((m) => m.version)].sort((a, b) => a - b),
    );
    for (const m of migrations) expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
