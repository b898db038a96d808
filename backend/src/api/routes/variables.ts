import { Static, Type } from '@sinclair/typebox';
import { FastifyPluginAsync } from 'fastify';
import { OneOf, TargetName, Text } from '../schema-parts';
import { VARIABLE_NAMES, VariableName, variableValues, VariableSources } from '../variables';

const VariableParams = Type.Object({ name: OneOf(VARIABLE_NAMES) }, { additionalProperties: false });

const VariableQuery = Type.Object(
  {
    target: Type.Optional(TargetName),
    database: Type.Optional(Text(256)),
    search: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

const DEFAULT_LIMIT = 1000;

/** GET /variables/:name?target&database&search&limit — [{ text, value }] for a template variable. */
export const variableRoutes = (sources: Omit<VariableSources, 'log'>): FastifyPluginAsync =>
  async function variables(app) {
    app.get<{ Params: { name: VariableName }; Querystring: Static<typeof VariableQuery> }>(
      '/variables/:name',
      { schema: { params: VariableParams, querystring: VariableQuery } },
      async (request) => {
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
