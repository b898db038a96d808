import { Annotation, AnnotationKind } from '../contract/annotations';
import { EventKind } from '../contract/events';
import { StoredEvent } from '../store/types';
import { EVENT_TABLES } from '../catalog/event-tables';

/**
 * Groups of kinds, as the event tables call them (interventions, alerts): the contract's
 * EVENT_KIND_GROUPS (annotations.test.ts holds the two together).
 */
export const KIND_GROUPS: Record<string, EventKind[]> = Object.fromEntries(
  EVENT_TABLES.filter((table) => table.eventKinds.length > 0).map((table) => [table.kind, table.eventKinds]),
);

/** Requested kinds with the groups expanded; undefined: every kind. */
export function eventKinds(requested: AnnotationKind[] | undefined): EventKind[] | undefined {
  if (!requested || requested.length === 0) return undefined;
  return [...new Set(requested.flatMap((k) => KIND_GROUPS[k] ?? [k as EventKind]))];
}

/** An event as an annotation; its kind, severity and target become tags to filter on in Grafana. */
export function toAnnotation(event: StoredEvent): Annotation {
  const tags = [
    ...new Set([...event.tags, event.kind, event.severity, ...(event.target ? [event.target] : [])]),
  ];
  const annotation: Annotation = { time: event.time, title: event.title, text: event.text, tags };
  const end = event.data?.timeEnd;
  if (typeof end === 'number' && Number.isFinite(end) && end >= event.time) annotation.timeEnd = end;
  return annotation;
}
