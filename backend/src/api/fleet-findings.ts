import { Logger } from 'pino';
import { FindingsFilter, selectChecks, selectFindings } from '../findings/select';
import { RepeatFilter } from '../lib/repeat-filter';
import { CheckStatus, FindingRecord } from '../findings/types';
import { StoredTargetFindings } from '../store/target-findings';
import { FindingsView } from './findings';

/** The findings of the whole fleet, as one replica answers them. */
export interface FleetFindingsAnswer {
  findings: FindingRecord[];
  checks: CheckStatus[];
  /** fleet: every target's; replica: this replica's targets only (the store did not answer). */
  scope: 'fleet' | 'replica';
}

export type FleetFindingsView = (filter?: FindingsFilter) => Promise<FleetFindingsAnswer>;

/**
 * Findings live in the memory of the replica that runs a target's checks: this replica's targets
 * come from its engine, the others' from the store as their live owners published them (FleetShare).
 * A target that runs here is answered from memory even if the store still has another's row (a
 * handover in progress). Alone on the store, memory is the whole answer.
 */
export function fleetFindings(deps: {
  replica: string;
  local: FindingsView;
  stored: StoredTargetFindings;
  /** Whether other replicas share the store. */
  shared: () => boolean;
  runsHere: (target: string) => boolean;
  log: Logger;
}): FleetFindingsView {
  const failing = new RepeatFilter();
  return async (filter = {}) => {
    const local = { findings: deps.local.findings(filter), checks: deps.local.checks(filter) };
    if (!deps.shared()) return { ...local, scope: 'fleet' };
    let others;
    try {
      others = await deps.stored.others<FindingRecord, CheckStatus>(deps.replica);
      failing.ok();
    } catch (error) {
      const message = (error as Error).message;
      if (failing.first(message))
        deps.log.warn({ err: message }, "findings: the store did not answer; this replica's targets only");
      return { ...local, scope: 'replica' };
    }
    const elsewhere = others.filter((o) => !deps.runsHere(o.target));
    return {
      findings: selectFindings([...local.findings, ...elsewhere.flatMap((o) => o.findings)], filter),
      checks: [
        ...local.checks,
        ...selectChecks(
          elsewhere.flatMap((o) => o.checks),
          filter,
        ),
      ].sort((a, b) => a.target.localeCompare(b.target)),
      scope: 'fleet',
    };
  };
}
