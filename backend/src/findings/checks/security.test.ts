import { Sample, SnapshotRow } from '../../collectors/types';
import { runCheck } from './testing/run-check';

describe('security checks', () => {
  it('schema_create_for_public: a REVOKE per schema, the name quoted', () => {
    const findings = runCheck('schema_create_for_public', {
      public_create_schemas: [
        { datname: 'app', schemaname: 'public', owner: 'postgres', acl: '{=UC/postgres}' },
        { datname: 'app', schemaname: 'a; drop table x', owner: 'postgres', acl: '{=C/postgres}' },
      ],
    });
    expect(findings.map((f) => [f.object.type, f.object.name, f.severity])).toEqual([
      ['schema', 'public', 'info'],
      ['schema', 'a; drop table x', 'info'],
    ]);
    expect(findings.map((f) => f.remediation.statements)).toEqual([
      ['REVOKE CREATE ON SCHEMA public FROM PUBLIC;'],
      ['REVOKE CREATE ON SCHEMA "a; drop table x" FROM PUBLIC;'],
    ]);
  });

  it('too_many_superusers: from min_count, counted by the metric, names in the evidence only', () => {
    const roles = Array.from({ length: 25 }, (_, i): SnapshotRow => ({ rolname: `admin${i}` }));
    const total = (value: number): Sample[] => [{ metric: 'pg_superusers', labels: {}, value }];
    expect(runCheck('too_many_superusers', { superusers: roles.slice(0, 9) }, { samples: total(9) })).toEqual(
      [],
    );
    const [finding] = runCheck('too_many_superusers', { superusers: roles }, { samples: total(30) });
    expect(finding?.title).toBe('30 roles can log in as superuser');
    expect(finding?.evidence).toHaveLength(20);
    expect(`${finding?.title} ${finding?.detail}`).not.toMatch(/admin/);
  });

  it('security_definer_search_path: pins search_path of that function, quoted; procedures too', () => {
    const findings = runCheck('security_definer_search_path', {
      security_definer_functions: [
        {
          datname: 'app',
          schemaname: 'My Schema',
          function_name: 'f"; drop table x; --',
          arguments: 'a integer, b text',
          kind: 'function',
          owner: 'postgres',
          owner_is_superuser: true,
          extension: null,
        },
        {
          datname: 'app',
          schemaname: 'public',
          function_name: 'p',
          arguments: 'IN x integer',
          kind: 'procedure',
          owner: 'app',
          owner_is_superuser: false,
          extension: 'ext',
        },
      ],
    });
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(findings.map((f) => f.remediation.statements[0])).toEqual([
      'ALTER FUNCTION "My Schema"."f""; drop table x; --"(a integer, b text) SET search_path = "My Schema", pg_temp;',
      'ALTER PROCEDURE public.p(IN x integer) SET search_path = public, pg_temp;',
    ]);
    expect(findings[1]?.remediation.steps.join(' ')).toMatch(/extension ext/);
  });

  it('unencrypted_connections: one finding per database; users and addresses in the evidence only', () => {
    const group = (
      datname: string,
      usename: string,
      client_addr: string,
      loopback: boolean,
    ): SnapshotRow => ({
      datname,
      usename,
      application_name: 'billing',
      client_addr,
      loopback,
      connections: 2,
    });
    const groups = {
      unencrypted_connections: [
        group('shop', 'alice', '10.0.0.5', false),
        group('shop', 'bob', '127.0.0.1', true),
        group('crm', 'carol', '127.0.0.1', true),
      ],
    };
    const samples = [{ metric: 'pg_connections_unencrypted_tcp', labels: { datname: 'shop' }, value: 7 }];
    const findings = runCheck('unencrypted_connections', groups, {
      samples,
      params: { include_loopback: 1 },
    });
    expect(findings.map((f) => [f.object.name, f.severity, f.evidence.length])).toEqual([
      ['shop', 'info', 2],
      ['crm', 'info', 1],
    ]);
    expect(findings[0]?.title).toBe('7 TCP connections to database shop without TLS');
    expect(findings[1]?.detail).toMatch(/all from the loopback address/);
    for (const f of findings)
      expect(`${f.title} ${f.detail}`).not.toMatch(/alice|bob|carol|10\.0\.0\.5|127\.0/);

    // By default the loopback groups are left out, and so is their share of the metric's count.
    const remote = runCheck('unencrypted_connections', groups, { samples });
    expect(remote.map((f) => [f.object.name, f.evidence.length, f.title])).toEqual([
      ['shop', 1, '2 TCP connections to database shop without TLS'],
    ]);
    expect(remote[0]?.detail).not.toMatch(/loopback/);
    expect(remote[0]?.remediation.steps.join(' ')).not.toMatch(/include_loopback/);
  });
});
