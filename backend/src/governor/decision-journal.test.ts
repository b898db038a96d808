import { StoredEvent } from '../store/types';
import { decide } from './decide';
import { DecisionJournal } from './decision-journal';
import { initialState } from './governor-state';
import { filler, governorSettings, snapshotOf } from './testing/fake-sessions';

describe('decision journal', () => {
  const settings = governorSettings();
  const at = (used: number, usable = 20) =>
    decide(snapshotOf(filler(used), usable), settings, initialState(), 0);

  it('journals decisions at warn and above, level changes, and folds identical repeats for journal_repeat_s', () => {
    const events: StoredEvent[] = [];
    const journal = new DecisionJournal({ writeEvent: (e) => events.push(e) });
    const record = (used: number, now: number) =>
      journal.record(at(used), { mode: 'dry-run', instance: 'i', repeatS: 60, now });
    expect(record(5, 0)).toBe(false); // normal, as before: nothing to say
    expect(record(15, 1000)).toBe(true); // warn
    expect(record(15, 2000)).toBe(false); // the same again: folded
    expect(record(15, 3000)).toBe(false);
    expect(record(15, 62_000)).toBe(true); // a minute on: written, with the count folded
    expect(events.at(-1)?.data?.repeated).toBe(2);
    expect(record(5, 63_000)).toBe(true); // back to normal is a change
    expect(events.map((e) => e.severity)).toEqual(['warning', 'warning', 'info']);
  });

  it('writes the decision inputs: usage, level, candidates, chosen and skipped with why', () => {
    const events: StoredEvent[] = [];
    new DecisionJournal({ writeEvent: (e) => events.push(e) }).record(at(30), {
      mode: 'enforce',
      instance: 'host:1:ab',
      repeatS: 60,
      now: 0,
    });
    const [event] = events;
    expect(event).toMatchObject({ kind: 'governor_decision', target: 'main', severity: 'critical' });
    expect(event?.tags).toEqual(['governor_decision', 'main', 'terminate', 'critical', 'enforce']);
    expect(event?.data).toMatchObject({
      level: 'critical',
      usage: 1.5,
      used: 30,
      usable: 20,
      need: 14,
      candidates: 30,
      skippedTotal: 9,
      limits: { perCycle: 5, perMinuteLeft: 30, circuit: null },
    });
    expect((event?.data?.chosen as unknown[]).length).toBe(5);
    expect(event?.text).toContain('- terminate pid');
    expect(event?.text).toContain('per-cycle limit (5) reached');
    expect(event?.text).not.toMatch(/SELECT/);
  });
});
