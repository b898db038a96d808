import { counterIncrease, CounterReading, readValues, sumOf } from './counters';

const reading = (at: number, values: Record<string, number>, epoch = 'e1'): CounterReading => ({
  at,
  epoch,
  values,
});

describe('counterIncrease', () => {
  it('has nothing to say without an earlier reading', () => {
    expect(counterIncrease(undefined, reading(1000, { a: 5 }))).toBeUndefined();
  });

  it('gives each counter increase and the interval', () => {
    expect(counterIncrease(reading(1000, { a: 5, b: 10 }), reading(11_000, { a: 8, b: 10 }))).toEqual({
      seconds: 10,
      increase: { a: 3, b: 0 },
      reset: false,
    });
  });

  it('refuses a zero or backwards interval (no infinite rates)', () => {
    expect(counterIncrease(reading(5000, { a: 1 }), reading(5000, { a: 2 }))).toBeUndefined();
    expect(counterIncrease(reading(5000, { a: 1 }), reading(4000, { a: 2 }))).toBeUndefined();
  });

  it('treats a counter going backwards as a reset of the whole set: counts since the reset, never negative', () => {
    const delta = counterIncrease(reading(0, { a: 100, b: 50 }), reading(60_000, { a: 7, b: 60 }));
    // b grew past its old value after the reset: its true increase is its value, not 10.
    expect(delta).toEqual({ seconds: 60, increase: { a: 7, b: 60 }, reset: true });
  });

  it('treats a changed epoch (stats_reset, oid) as a reset even when counters grew', () => {
    const delta = counterIncrease(reading(0, { a: 5 }, 'e1'), reading(1000, { a: 9 }, 'e2'));
    expect(delta?.reset).toBe(true);
    expect(delta?.increase).toEqual({ a: 9 });
  });

  it('leaves out counters absent from the earlier reading', () => {
    expect(counterIncrease(reading(0, { a: 1 }), reading(1000, { a: 2, b: 5 }))?.increase).toEqual({ a: 1 });
  });
});

describe('sumOf and readValues', () => {
  it('sums known increases and refuses when one is unknown', () => {
    expect(sumOf({ a: 1, b: 2 }, ['a', 'b'])).toBe(3);
    expect(sumOf({ a: 1 }, ['a', 'b'])).toBeUndefined();
  });

  it('reads the numeric columns and skips NULLs', () => {
    expect(readValues({ a: 1, b: null, c: 'x' } as Record<string, unknown>, ['a', 'b', 'c'])).toEqual({
      a: 1,
    });
  });
});
