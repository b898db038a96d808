import { CounterHistory } from './counter-history';

const sample = (value: number, datname = 'shop') => ({ metric: 'pg_temp', labels: { datname }, value });
const ages = (ms: number) => new Map([['pg_temp', ms]]);

describe('CounterHistory', () => {
  it('gives the increase over a window from the point at or before its start', () => {
    const history = new CounterHistory(ages(60_000));
    history.record('t', [sample(100)], 0);
    history.record('t', [sample(150)], 30_000);
    history.record('t', [sample(400)], 60_000);
    expect(history.increase('t', 'pg_temp', 30_000, 60_000)).toEqual([
      { labels: { datname: 'shop' }, increase: 250, spanMs: 30_000 },
    ]);
    expect(history.increase('t', 'pg_temp', 60_000, 60_000)[0]).toMatchObject({
      increase: 300,
      spanMs: 60_000,
    });
  });

  it('counts a drop as a reset from zero, keeps series and targets apart, and ignores other metrics', () => {
    const history = new CounterHistory(ages(60_000));
    history.record('t', [sample(500), sample(7, 'other'), { metric: 'x', labels: {}, value: 1 }], 0);
    history.record('t', [sample(40), sample(9, 'other')], 10_000);
    history.record('u', [sample(1)], 10_000);
    const byDb = Object.fromEntries(
      history.increase('t', 'pg_temp', 60_000, 10_000).map((s) => [s.labels.datname, s.increase]),
    );
    expect(byDb).toEqual({ shop: 40, other: 2 });
    expect(history.increase('t', 'x', 60_000, 10_000)).toEqual([]);
    expect(history.increase('u', 'pg_temp', 60_000, 10_000)).toEqual([
      { labels: { datname: 'shop' }, increase: 0, spanMs: 0 },
    ]);
  });

  it('drops points older than it keeps, but one', () => {
    const history = new CounterHistory(ages(10_000));
    for (let at = 0; at <= 100_000; at += 5_000) history.record('t', [sample(at)], at);
    expect(history.increase('t', 'pg_temp', 1_000_000, 100_000)[0]).toMatchObject({ spanMs: 10_000 });
  });

  it('keeps each metric as long as its own window, and forgets series no longer observed', () => {
    const history = new CounterHistory(
      new Map([
        ['pg_temp', 10_000],
        ['pg_calls', 30_000],
      ]),
    );
    for (let at = 0; at <= 60_000; at += 5_000)
      history.record('t', [sample(at), { metric: 'pg_calls', labels: {}, value: at }], at);
    expect(history.increase('t', 'pg_temp', 1_000_000, 60_000)[0]).toMatchObject({ spanMs: 10_000 });
    expect(history.increase('t', 'pg_calls', 1_000_000, 60_000)[0]).toMatchObject({ spanMs: 30_000 });
    // The shop series stops (left the Top-N): it is kept for its window, then forgotten.
    history.record('t', [sample(1, 'other')], 65_000);
    expect(history.increase('t', 'pg_temp', 1_000_000, 65_000).map((s) => s.labels.datname)).toEqual([
      'shop',
      'other',
    ]);
    history.record('t', [sample(2, 'other')], 80_000);
    expect(history.increase('t', 'pg_temp', 1_000_000, 80_000).map((s) => s.labels.datname)).toEqual([
      'other',
    ]);
    // Its own window is longer: still kept.
    expect(history.increase('t', 'pg_calls', 1_000_000, 80_000)).toHaveLength(1);
  });

  it('counts the growth across a cycle a series missed, and starts a series that joins later', () => {
    const history = new CounterHistory(ages(60_000));
    history.record('t', [sample(10), sample(1, 'other')], 0);
    history.record('t', [sample(2, 'other'), sample(5, 'late')], 10_000); // shop left the Top-N
    history.record('t', [sample(30), sample(4, 'other'), sample(9, 'late')], 20_000); // and came back
    const byDb = Object.fromEntries(
      history.increase('t', 'pg_temp', 60_000, 20_000).map((s) => [s.labels.datname, [s.increase, s.spanMs]]),
    );
    expect(byDb).toEqual({ shop: [20, 20_000], other: [3, 20_000], late: [4, 10_000] });
    // A window starting between two points of a series starts at its last point before it.
    expect(history.increase('t', 'pg_temp', 15_000, 20_000)[0]).toMatchObject({
      increase: 20,
      spanMs: 20_000,
    });
  });

  it('skips a time not newer than the one the metric has', () => {
    const history = new CounterHistory(ages(60_000));
    history.record('t', [sample(10)], 10_000);
    history.record('t', [sample(99)], 10_000);
    history.record('t', [sample(12)], 5_000);
    history.record('t', [sample(15)], 20_000);
    expect(history.increase('t', 'pg_temp', 60_000, 20_000)).toEqual([
      { labels: { datname: 'shop' }, increase: 5, spanMs: 10_000 },
    ]);
  });
});
