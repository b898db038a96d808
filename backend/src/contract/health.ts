import { Static, Type } from '@sinclair/typebox';
import { OneOf } from './schema-parts';

/** GET /healthz (liveness) and GET /readyz (readiness: 200 ready, 503 not ready, same body). */

export const LivenessSchema = Type.Object({ status: Type.String() });
export type Liveness = Static<typeof LivenessSchema>;

/** A monitored server's state as readiness reports it. */
export const ReadinessTargetSchema = Type.Object({
  name: Type.String(),
  state: Type.String(),
  /** Why the target is not up. */
  reason: Type.Optional(Type.String()),
  /** When the state last changed (ISO 8601). */
  since: Type.String(),
  /** Once the server was identified. */
  major: Type.Optional(Type.Integer()),
  pgStatStatements: Type.Optional(Type.Boolean()),
});
export type ReadinessTarget = Static<typeof ReadinessTargetSchema>;

export const ReadinessReportSchema = Type.Object({
  status: OneOf(['ready', 'not ready'] as const),
  /** What keeps this process from serving, one line each. */
  problems: Type.Array(Type.String()),
  /** Reported without failing readiness: collectors failing on a target that is up. */
  degraded: Type.Array(Type.String()),
  targets: Type.Array(ReadinessTargetSchema),
});
export type ReadinessReport = Static<typeof ReadinessReportSchema>;
