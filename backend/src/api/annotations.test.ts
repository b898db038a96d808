import { ANNOTATION_KINDS } from '../contract/annotations';
import { EVENT_KIND_GROUPS, EVENT_KINDS } from '../contract/events';
import { eventKinds, KIND_GROUPS } from './annotations';

describe('annotation kinds', () => {
  it("are the contract's event kinds and the event tables' groups", () => {
    expect(Object.keys(KIND_GROUPS)).toEqual([...EVENT_KIND_GROUPS]);
    expect([...ANNOTATION_KINDS]).toEqual([...EVENT_KINDS, ...Object.keys(KIND_GROUPS)]);
  });

  it('expand a group to its event kinds, once each', () => {
    expect(eventKinds(['interventions', 'intervention', 'target_state'])).toEqual([
      'intervention',
      'governor_decision',
      'target_state',
    ]);
    expect(eventKinds([])).toBeUndefined();
  });
});
