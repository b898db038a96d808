import { Severity } from '../../config/alerts-schema';
import type { Runbook } from '../alerts/types';

/**
 * A finding kind as data: what it diagnoses, from which collected rows, with which thresholds
 * (configuration keys findings.<id>.<param>, defaults taken from the anchor tools), and where its
 * runbook is. The checks themselves (findings/checks) are pure functions of the collected rows.
 */

export type FindingCategory =
  'sessions' | 'queries' | 'vacuum' | 'replication' | 'indexes' | 'schema' | 'server' | 'security';

/** A threshold, or a switch (unit flag: true or false in the configuration, 1 or 0 to the check). */
export type FindingParam =
  | {
      default: number;
      unit: 'seconds' | 'bytes' | 'bytes_per_second' | 'ratio' | 'transactions' | 'count';
      description: string;
    }
  | { default: boolean; unit: 'flag'; description: string };

/** A collector whose newest observation the check reads, and which of its SQL files matter. */
export interface FindingInput {
  collector: string;
  /** The collector's sql/collectors queries behind the rows (default: all of them). */
  queries?: string[];
}

/**
 * Counters read per row of a snapshot, where no metric has them at that grain (e.g. the metrics sum
 * a statement's entries of several roles; a regression is one entry's). The key columns tell rows
 * apart across observations; the check reads them as increase(rowCounterMetric(snapshot, column)),
 * labelled by the key columns.
 */
export interface RowCounters {
  snapshot: string;
  key: string[];
  columns: string[];
}

/** The name a row counter is kept under (not a metric: it never leaves the findings engine). */
export const rowCounterMetric = (snapshot: string, column: string): string => `${snapshot}.${column}`;

export interface FindingKind {
  /** Stable: configuration key, API filter, event tag. */
  id: string;
  title: string;
  category: FindingCategory;
  /** What it means and why it matters. */
  description: string;
  /** Severity when the condition holds; a critical threshold, where there is one, raises it. */
  severity: Severity;
  inputs: FindingInput[];
  /** Counter metrics of the inputs whose increase over the window_s param the check reads. */
  counters?: string[];
  /** Counters of an input's snapshot rows whose increase per row over the window_s param the check reads. */
  rowCounters?: RowCounters;
  params: Record<string, FindingParam>;
  /** Where the thresholds come from (docs/checks.md says the same). */
  anchors: string;
  /** The runbook page. */
  runbook: string;
  /** Alerts of the catalog over the same condition, read from the metrics rather than from the findings. */
  relatedAlerts?: string[];
  /**
   * What the runbook page tells whoever reads the finding (docs/runbooks/findings/<id>.md is
   * generated from it, as the alerts' pages are): the first checks' SQL is read-only.
   */
  guide: Runbook;
}

export const runbookOf = (id: string): string => `docs/runbooks/findings/${id}.md`;
