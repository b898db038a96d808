import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Annotations, AnnotationsQuerySchema } from '../../contract/annotations';
import { HistoryReader } from '../../store/types';
import { eventKinds, toAnnotation } from '../annotations';
import { fromStore } from '../store-errors';
import { resolveRange } from '../time-range';

const DEFAULT_LIMIT = 1000;

/** GET /annotations?from&to&target&kind&limit — events in a range, newest first, as Grafana annotations. */
export const annotationRoutes = (deps: {
  reader: HistoryReader;
  eventRetentionDays: number;
}): FastifyPluginAsyncTypebox =>
  async function annotations(app) {
    app.get(
      '/annotations',
      { schema: { querystring: AnnotationsQuerySchema } },
      async (request): Promise<Annotations> => {
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
