import { Static, Type } from '@sinclair/typebox';
import { EVENT_KIND_GROUPS, EVENT_KINDS } from './events';
import { OneOf, TargetList } from './schema-parts';
import { TimeValue } from './time';

/** GET /api/v1/annotations?from&to&target&kind&limit: events in a range, newest first. */

/** What `kind` takes: an event kind, or a group of them. */
export const ANNOTATION_KINDS = [...EVENT_KINDS, ...EVENT_KIND_GROUPS] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

export const AnnotationsQuerySchema = Type.Object(
  {
    from: TimeValue,
    to: TimeValue,
    target: Type.Optional(TargetList),
    kind: Type.Optional(Type.Array(OneOf(ANNOTATION_KINDS), { maxItems: 20 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type AnnotationsQuery = Static<typeof AnnotationsQuerySchema>;

/**
 * A Grafana annotation: a point (time) or a region (time to timeEnd), ms since the epoch; the
 * event's kind, severity and target are among its tags.
 */
export const AnnotationSchema = Type.Object({
  time: Type.Number(),
  timeEnd: Type.Optional(Type.Number()),
  title: Type.String(),
  text: Type.String(),
  tags: Type.Array(Type.String()),
});
export type Annotation = Static<typeof AnnotationSchema>;

export const AnnotationsSchema = Type.Array(AnnotationSchema);
export type Annotations = Static<typeof AnnotationsSchema>;
