import { GovernorSettings } from '../config/schema';

/**
 * The circuit breaker, a pure state machine. Closed: the governor may act; failures_to_open
 * consecutive failed interventions open it. Open: no action at all, and a page for a human; after
 * cooldown_s it is half-open. Half-open: one probe action; its success closes the circuit, its
 * failure opens it again for another cooldown.
 *
 * A failed intervention: the signal returned false or raised, or an action taken under pressure
 * did not relieve it (see relief.ts). A session that no longer qualified at execution time is
 * neither a success nor a failure: nothing was done.
 */
export type CircuitState =
  | { state: 'closed'; failures: number }
  | { state: 'open'; failures: number; openedAt: number }
  | { state: 'half-open'; probing: boolean };

export type CircuitSettings = GovernorSettings['circuit'];
export type CircuitName = CircuitState['state'];

/** pgg_governor_circuit_state's value. */
export const CIRCUIT_VALUE: Readonly<Record<CircuitName, number>> = { closed: 0, open: 1, 'half-open': 2 };

export const CLOSED: CircuitState = { state: 'closed', failures: 0 };

/** The state at now: an open circuit whose cooldown has passed is half-open. */
export function circuitAt(circuit: CircuitState, settings: CircuitSettings, now: number): CircuitState {
  if (circuit.state === 'open' && now - circuit.openedAt >= settings.cooldown_s * 1000) {
    return { state: 'half-open', probing: false };
  }
  return circuit;
}

/** Actions the circuit allows now: any when closed, none when open, one probe at a time when half-open. */
export function circuitAllowance(circuit: CircuitState): number {
  if (circuit.state === 'closed') return Number.POSITIVE_INFINITY;
  if (circuit.state === 'open') return 0;
  return circuit.probing ? 0 : 1;
}

/** An action was started: when half-open, it is the probe, and no other may start until it is judged. */
export function actionStarted(circuit: CircuitState): CircuitState {
  return circuit.state === 'half-open' ? { state: 'half-open', probing: true } : circuit;
}

export function recordSuccess(circuit: CircuitState): CircuitState {
  return circuit.state === 'open' ? circuit : CLOSED;
}

export function recordFailure(circuit: CircuitState, settings: CircuitSettings, now: number): CircuitState {
  if (circuit.state === 'open') return circuit;
  if (circuit.state === 'half-open')
    return { state: 'open', failures: settings.failures_to_open, openedAt: now };
  const failures = circuit.failures + 1;
  return failures >= settings.failures_to_open
    ? { state: 'open', failures, openedAt: now }
    : { state: 'closed', failures };
}

/** The probe did not happen after all (its session no longer qualified): another may be tried. */
export function recordNeutral(circuit: CircuitState): CircuitState {
  return circuit.state === 'half-open' ? { state: 'half-open', probing: false } : circuit;
}
