import { Static, Type } from '@sinclair/typebox';
import { SqlTextSchema } from './catalog';
import { OneOf, TargetList } from './schema-parts';

/**
 * GET /api/v1/findings?target&kind&severity&minSeverity&state: the problems the checks diagnosed,
 * each with the rows that prove it, the SQL that found them and a remediation a human runs (never
 * PG Governor); and whether each kind's check ran on each target.
 */

export const FINDING_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_STATES = ['open', 'resolved'] as const;
export type FindingStateName = (typeof FINDING_STATES)[number];

export const CHECK_STATES = ['ok', 'failed', 'pending', 'skipped', 'disabled'] as const;
export type CheckStateName = (typeof CHECK_STATES)[number];

/** Finding kind ids are snake_case words; which exist the route checks against the catalog. */
const KIND_NAME = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' });

export const FindingsQuerySchema = Type.Object(
  {
    target: Type.Optional(TargetList),
    kind: Type.Optional(Type.Array(KIND_NAME, { maxItems: 50 })),
    /** Exactly these severities. */
    severity: Type.Optional(Type.Array(OneOf(FINDING_SEVERITIES), { maxItems: 3 })),
    /** This severity and above. */
    minSeverity: Type.Optional(OneOf(FINDING_SEVERITIES)),
    /** Default: both (resolved findings stay listed for a day). */
    state: Type.Optional(Type.Array(OneOf(FINDING_STATES), { maxItems: 2 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type FindingsQuery = Static<typeof FindingsQuerySchema>;

const Cell = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const FindingSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  target: Type.String(),
  object: Type.Object({
    /** database, relation, index, sequence, trigger, session, statement, prepared_transaction, replication_slot, subscription, standby, server, setting, schema, function, view */
    type: Type.String(),
    name: Type.String(),
    database: Type.Union([Type.String(), Type.Null()]),
  }),
  severity: OneOf(FINDING_SEVERITIES),
  state: OneOf(FINDING_STATES),
  title: Type.String(),
  detail: Type.String(),
  /** The collected rows that prove it, as the collector's snapshot has them. */
  evidence: Type.Array(Type.Record(Type.String(), Cell)),
  /** The SQL files that produced the evidence (for the target's major when known). */
  sql: Type.Array(SqlTextSchema),
  /** For a human to run (identifiers quoted); PG Governor never runs them. */
  remediation: Type.Object({ statements: Type.Array(Type.String()), steps: Type.Array(Type.String()) }),
  /** ISO 8601. */
  firstSeen: Type.String(),
  lastSeen: Type.String(),
  resolvedAt: Type.Optional(Type.String()),
  /** The runbook page of the kind. */
  runbook: Type.String(),
});
export type Finding = Static<typeof FindingSchema>;

export const CheckStatusSchema = Type.Object({
  target: Type.String(),
  kind: Type.String(),
  /** failed: the check threw or an input collector failed; its findings are as of the last good run. */
  state: OneOf(CHECK_STATES),
  error: Type.Optional(Type.String()),
  lastRunAt: Type.Optional(Type.String()),
  open: Type.Integer(),
  /** Findings its last run found on objects that findings.<kind>.ignore names: not raised. */
  ignored: Type.Optional(Type.Integer()),
});
export type CheckStatus = Static<typeof CheckStatusSchema>;

export const FindingsResponseSchema = Type.Object({
  findings: Type.Array(FindingSchema),
  /** How many matched before the limit. */
  total: Type.Integer(),
  checks: Type.Array(CheckStatusSchema),
  /**
   * fleet: every target's (this replica's from memory, the others' as their owners published them
   * to the store); replica: this replica's targets only (the store did not answer).
   */
  scope: OneOf(['fleet', 'replica'] as const),
});
export type FindingsResponse = Static<typeof FindingsResponseSchema>;
