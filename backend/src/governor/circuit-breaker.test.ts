import {
  actionStarted,
  circuitAllowance,
  circuitAt,
  CircuitState,
  CLOSED,
  recordFailure,
  recordNeutral,
  recordSuccess,
} from './circuit-breaker';

const settings = { failures_to_open: 3, cooldown_s: 300 };
const t0 = 1_000_000;

describe('circuit breaker', () => {
  it('opens after 3 consecutive failures; a success in between starts the count again', () => {
    let c: CircuitState = CLOSED;
    c = recordFailure(c, settings, t0);
    c = recordFailure(c, settings, t0);
    c = recordSuccess(c);
    expect(c).toEqual(CLOSED);
    c = recordFailure(c, settings, t0);
    c = recordFailure(c, settings, t0);
    expect(circuitAllowance(c)).toBe(Number.POSITIVE_INFINITY);
    c = recordFailure(c, settings, t0 + 5);
    expect(c).toEqual({ state: 'open', failures: 3, openedAt: t0 + 5 });
    expect(circuitAllowance(c)).toBe(0);
  });

  it('stays open for the cooldown, then allows one probe at a time', () => {
    const open: CircuitState = { state: 'open', failures: 3, openedAt: t0 };
    expect(circuitAt(open, settings, t0 + 299_999)).toBe(open);
    const half = circuitAt(open, settings, t0 + 300_000);
    expect(half).toEqual({ state: 'half-open', probing: false });
    expect(circuitAllowance(half)).toBe(1);
    const probing = actionStarted(half);
    expect(circuitAllowance(probing)).toBe(0);
    // The probe's session no longer qualified: nothing happened, another probe may go.
    expect(recordNeutral(probing)).toEqual(half);
  });

  it('closes on a successful probe and opens again, for a new cooldown, on a failed one', () => {
    const probing: CircuitState = { state: 'half-open', probing: true };
    expect(recordSuccess(probing)).toEqual(CLOSED);
    expect(recordFailure(probing, settings, t0 + 400_000)).toEqual({
      state: 'open',
      failures: 3,
      openedAt: t0 + 400_000,
    });
  });

  it('ignores late verdicts while open (a success does not close it without a probe)', () => {
    const open: CircuitState = { state: 'open', failures: 3, openedAt: t0 };
    expect(recordSuccess(open)).toBe(open);
    expect(recordFailure(open, settings, t0 + 10)).toBe(open);
  });
});
