import { ALERT_CATALOG } from '../alerts';
import { COLLECTOR_DEFINITIONS } from '../collectors';
import { expectCompleteRunbook } from '../testing/runbook';
import { FINDING_KINDS } from '.';
import { findingQueries, findingSql } from './sql';

describe('finding kinds', () => {
  it('have unique snake_case ids, a runbook, anchors and non-negative defaults', () => {
    const ids = FINDING_KINDS.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const kind of FINDING_KINDS) {
      expect(kind.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(kind.runbook).toBe(`docs/runbooks/findings/${kind.id}.md`);
      expect(kind.anchors).not.toBe('');
      for (const param of Object.values(kind.params))
        if (param.unit === 'flag') expect(typeof param.default).toBe('boolean');
        else expect(param.default).toBeGreaterThanOrEqual(0);
    }
  });

  it.each(FINDING_KINDS.map((k) => [k.id, k] as const))(
    '%s: a guide with its meaning, first checks and remediation, and alerts that exist',
    (_id, kind) => {
      expectCompleteRunbook(kind.guide);
      const alerts = new Set(ALERT_CATALOG.map((a) => a.id));
      for (const id of kind.relatedAlerts ?? []) expect(alerts).toContain(id);
    },
  );

  it('read collectors that exist, through their own SQL files', () => {
    const collectors = new Map(COLLECTOR_DEFINITIONS.map((c) => [c.name, c]));
    for (const kind of FINDING_KINDS) {
      for (const input of kind.inputs) {
        const collector = collectors.get(input.collector);
        expect({ kind: kind.id, collector: collector?.name }).toEqual({
          kind: kind.id,
          collector: input.collector,
        });
        for (const query of input.queries ?? []) expect(collector?.queries).toContain(query);
      }
      expect(findingQueries(kind).length).toBeGreaterThan(0);
      const counters = new Set(
        kind.inputs.flatMap((i) => collectors.get(i.collector)?.metrics ?? []).map((m) => m.name),
      );
      for (const metric of kind.counters ?? []) expect(counters).toContain(metric);
      if (kind.counters?.length || kind.rowCounters) expect(kind.params.window_s).toBeDefined();
      if (kind.rowCounters) {
        const { snapshot, key, columns } = kind.rowCounters;
        const definition = kind.inputs
          .flatMap((i) => collectors.get(i.collector)?.snapshots ?? [])
          .find((s) => s.kind === snapshot);
        const declared = definition?.columns.map((c) => c.name) ?? [];
        const missing = [...key, ...columns].filter((c) => !declared.includes(c));
        expect({ kind: kind.id, missing }).toEqual({ kind: kind.id, missing: [] });
      }
    }
  });

  it('show the SQL file a server of a given major runs', () => {
    const checkpoints = FINDING_KINDS.find((k) => k.id === 'frequent_checkpoints');
    expect(checkpoints && findingSql(checkpoints).map((s) => s.file)).toEqual([
      'collectors/checkpoints.pg14.sql',
      'collectors/checkpoints.pg17.sql',
    ]);
    expect(checkpoints && findingSql(checkpoints, 16).map((s) => s.file)).toEqual([
      'collectors/checkpoints.pg14.sql',
    ]);
    expect(checkpoints && findingSql(checkpoints, 18).map((s) => s.file)).toEqual([
      'collectors/checkpoints.pg17.sql',
    ]);
  });
});
