import { GovernorSettings } from '../config/schema';
import { PendingRelief } from './governor-state';
import { ActivitySnapshot } from './snapshot';

/**
 * Whether terminations made under pressure relieved it, judged on the first snapshot taken after
 * them: relieved when that snapshot counts fewer client backends than the one acted on, or usage
 * is below the optimize threshold. Not relieved means clients reconnected as fast as they were cut
 * (a pool refilling itself, a retry storm): more terminations would not help, a human must look.
 * Undefined while there is no snapshot after the actions yet.
 */
export function reliefVerdict(
  pending: PendingRelief,
  snapshot: ActivitySnapshot,
  thresholds: GovernorSettings['thresholds'],
): boolean | undefined {
  if (snapshot.time <= pending.actedAt) return undefined;
  return snapshot.used < pending.usedBefore || snapshot.usage < thresholds.optimize;
}
