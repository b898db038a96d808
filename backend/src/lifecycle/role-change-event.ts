import { RoleChange } from '../db/target-monitor';
import { StoredEvent } from '../store/types';

/**
 * A target's server changed role (pgmonitor PGRecoveryStatusSwitch): a standby promoted, or the
 * target's address now reaching another server after a failover. A warning: on-call wants to
 * know, and to check that the old primary is fenced and the standbys follow the new one.
 */
export function roleChangeEvent(target: string, change: RoleChange): StoredEvent {
  const how =
    change.to === 'primary'
      ? 'a promotion or a failover: check that the old primary is down or fenced and that the standbys follow the new one'
      : 'the target now reaches a standby: a failover or a rebuilt server; writes through this address fail';
  return {
    time: change.at,
    target,
    kind: 'target_state',
    severity: 'warning',
    title: `${target} is now a ${change.to} (was a ${change.from})`,
    text: `The server of ${target} changed role from ${change.from} to ${change.to}: ${how}.`,
    tags: ['role_change', change.to],
    data: { change: 'role', from: change.from, to: change.to },
  };
}
