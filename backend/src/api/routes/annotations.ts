import { Static, Type } from '@sinclair/typebox';
import { FastifyPluginAsync } from 'fastify';
import { HistoryReader } from '../../store/types';
import { ANNOTATION_KINDS, eventKinds, toAnnotation } from '../annotations';
import { OneOf, TargetList, TimeValue } from '../schema-parts';
import { fromStore } from '../store-errors';
import { resolveRange } from '../time-range';

const AnnotationsQuery = Type.Object(
  {
    from: TimeValue,
    to: TimeValue,
    target: Type.Optional(TargetList),
    kind: Type.Optional(Type.Array(OneOf(ANNOTATION_KINDS), { maxItems: 20 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

const DEFAULT_LIMIT = 1000;

/** GET /annotations?from&to&target&kind&limit — events in a range, newest first, as Grafana annotations. */
export const annotationRoutes = (deps: {
  reader: HistoryReader;
  eventRetentionDays: number;
}): FastifyPluginAsync =>
  async function annotations(app) {
    app.get<{ Querystring: Static<typeof AnnotationsQuery> }>(
      '/annotations',
      { schema: { querystring: AnnotationsQuery } },
      async (request) => {
        const q = request.query;
        const range = resolveRange(q, { field: '', retentionDays: deps.eventRetentionDays, now: Date.now() });
        const kinds = eventKinds(q.kind);
        const events = await fromStore(
          deps.reader.events({
            from: range.from,
            to: range.to,
            ...(q.target?.length ? { targets: q.target } : {}),
            ...(kinds ? { kinds } : {}),
            limit: q.limit ?? DEFAULT_LIMIT,
          }),
          request.log,
          'annotations',
        );
        return events.map(toAnnotation);
      },
    );
  };
