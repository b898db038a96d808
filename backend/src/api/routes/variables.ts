import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VariableParamsSchema, VariableQuerySchema, VariableValues } from '../../contract/variables';
import { variableValues, VariableSources } from '../variables';

const DEFAULT_LIMIT = 1000;

/** GET /variables/:name?target&database&search&limit — [{ text, value }] for a template variable. */
export const variableRoutes = (sources: Omit<VariableSources, 'log'>): FastifyPluginAsyncTypebox =>
  async function variables(app) {
    app.get(
      '/variables/:name',
      { schema: { params: VariableParamsSchema, querystring: VariableQuerySchema } },
      async (request): Promise<VariableValues> => {
        const q = request.query;
        return variableValues(
          request.params.name,
          { ...sources, log: request.log },
          {
            ...(q.target !== undefined ? { target: q.target } : {}),
            ...(q.database !== undefined ? { database: q.database } : {}),
            ...(q.search !== undefined ? { search: q.search } : {}),
            limit: q.limit ?? DEFAULT_LIMIT,
          },
        );
      },
    );
  };
