import { GovernorSettings } from '../config/schema';
import { PendingRelief, sessionKey } from './governor-state';
import { ActivitySnapshot } from './snapshot';

/**
 * Whether terminations made under pressure relieved it, judged on the first snapshot taken after
 * them: relieved when that snapshot counts fewer client backends than the one acted on, or usage
 * is below the optimize threshold. Not relieved means clients reconnected as fast as they were cut
 * (a pool refilling itself, a retry storm): more terminations would not help, a human must look.
 * Undefined while there is no snapshot after the actions yet, and while a signalled backend is
 * still in the snapshot within relief_grace_ms: on a loaded server a backend takes a while to exit
 * after SIGTERM, and counting it would judge "not relieved" on terminations that did work.
 */
export function reliefVerdict(
  pending: PendingRelief,
  snapshot: ActivitySnapshot,
  settings: Pick<GovernorSettings, 'thresholds' | 'relief_grace_ms'>,
): boolean | undefined {
  if (snapshot.time <= pending.actedAt) return undefined;
  const signalled = new Set(pending.signalled);
  const exiting = snapshot.sessions.some((s) => signalled.has(sessionKey(s.pid, s.backendStartUs)));
  if (exiting && snapshot.time - pending.actedAt < settings.relief_grace_ms) return undefined;
  return snapshot.used < pending.usedBefore || snapshot.usage < settings.thresholds.optimize;
}
