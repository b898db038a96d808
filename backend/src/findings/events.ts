import { StoredEvent } from '../store/types';
import { Transition } from './reconcile';

const VERB = { new: 'new', escalated: 'escalated', resolved: 'resolved' } as const;

/** A finding's transition as an event of the history store: what annotations show. */
export function findingEvent(t: Transition): StoredEvent {
  const r = t.record;
  return {
    time: t.type === 'resolved' ? (r.resolvedAt ?? r.lastSeen) : r.lastSeen,
    target: r.target,
    kind: 'finding',
    severity: r.severity,
    title: `${t.type === 'resolved' ? 'Resolved: ' : ''}${r.title}`,
    text:
      t.type === 'resolved'
        ? `No longer seen (first seen ${new Date(r.firstSeen).toISOString()}).`
        : r.detail,
    tags: ['finding', VERB[t.type], r.kind, r.severity],
    data: {
      id: r.id,
      kind: r.kind,
      state: t.type,
      object: r.object,
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
      ...(t.previousSeverity ? { previousSeverity: t.previousSeverity } : {}),
      ...(r.resolvedAt !== undefined ? { resolvedAt: r.resolvedAt } : {}),
    },
  };
}
