import { LatestObservations } from '../../collectors/latest-observations';
import { HistoryReader } from '../../store/types';
import { Catalog } from '../../catalog/catalog';
import { FindingsView } from '../findings';
import { TimeRange } from '../time-range';

/** What running a panel query needs. */
export interface QueryContext {
  catalog: Catalog;
  reader: HistoryReader;
  latest: LatestObservations;
  /** Configured targets and any the backend holds observations of. */
  knownTargets: () => string[];
  /** The findings engine: the findings table (absent: the table answers empty, with a notice). */
  findings?: FindingsView;
}

/** The request-wide part of a query: Grafana's range and the bucket width derived from it. */
export interface QueryWindow {
  range: TimeRange;
  stepMs: number;
}
