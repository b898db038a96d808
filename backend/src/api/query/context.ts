import { LatestObservations } from '../../collectors/latest-observations';
import { HistoryReader } from '../../store/types';
import { Catalog } from '../../catalog/catalog';
import { FleetFindingsView } from '../fleet-findings';
import { TimeRange } from '../time-range';
import { LoopName } from '../../config/schema';

/** What running a panel query needs. */
export interface QueryContext {
  catalog: Catalog;
  reader: HistoryReader;
  latest: LatestObservations;
  /** Configured targets and any the backend holds observations of. */
  knownTargets: () => string[];
  /** The fleet's findings: the findings table (absent: the table answers empty, with a notice). */
  findings?: FleetFindingsView;
  /**
   * Whether this replica collects the target. One it does not (another replica's, sharing the
   * store) has its "latest" tables read from the store: the newest snapshot, if recent enough
   * for its loop (loopIntervalMs). Absent: every target is this process's.
   */
  collectsHere?: (target: string) => boolean;
  loopIntervalMs?: (loop: LoopName) => number;
}

/** The request-wide part of a query: Grafana's range and the bucket width derived from it. */
export interface QueryWindow {
  range: TimeRange;
  stepMs: number;
}
