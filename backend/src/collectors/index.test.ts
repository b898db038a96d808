import { COLLECTOR_DEFINITIONS } from '../catalog/collectors';
import { ALL_COLLECTORS } from '.';

describe('ALL_COLLECTORS', () => {
  it('runs every collector of the catalog, in its order, as the catalog defines it', () => {
    expect(ALL_COLLECTORS.map((c) => c.name)).toEqual(COLLECTOR_DEFINITIONS.map((d) => d.name));
    ALL_COLLECTORS.forEach((collector, i) => {
      const { enabled: _enabled, collect: _collect, ...definition } = collector;
      expect(definition).toEqual(COLLECTOR_DEFINITIONS[i]);
    });
  });
});
