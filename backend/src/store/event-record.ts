import { randomUUID } from 'node:crypto';
import { storableJson } from './storable-json';
import { StoredEvent } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An event as insert-events.sql reads it, as storable JSON text. Serialised when taken, so that a
 * value JSON cannot represent fails the caller's event, not a batch. The id is made here, so a
 * batch retried after an ambiguous commit inserts nothing twice.
 */
export function eventRecordJson(event: StoredEvent): string {
  if (!Number.isFinite(event.time)) throw new RangeError(`event time ${event.time} is not a number`);
  return storableJson({
    id: event.id && UUID.test(event.id) ? event.id : randomUUID(),
    ms: event.time,
    target: event.target,
    kind: event.kind,
    severity: event.severity,
    title: event.title,
    text: event.text,
    tags: event.tags,
    data: event.data ?? {},
  });
}
