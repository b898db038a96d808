import {
  NESTED_VIEW_DEPTH,
  PARTIAL_INDEX_MIN_NULL_FRAC,
  PARTIAL_INDEX_MIN_ROWS,
  recommendationsDefinition,
} from '../../catalog/collectors/recommendations';
import { Collector } from '../types';
import {
  deriveRecommendations,
  NestedViewRow,
  PartialIndexRow,
  PublicCreateSchemaRow,
  SecurityDefinerRow,
  SuperuserRow,
} from './derive';

export const recommendationsCollector: Collector = {
  ...recommendationsDefinition,
  async collect(context) {
    const { relations, indexes } = context.topN;
    const publicCreate = await context.query<PublicCreateSchemaRow>('public-create-schemas', {
      params: [relations],
    });
    const superusers = await context.query<SuperuserRow>('superusers', { params: [relations] });
    const securityDefiner = await context.query<SecurityDefinerRow>('security-definer-functions', {
      params: [relations],
    });
    const nestedViews = await context.query<NestedViewRow>('nested-views', {
      params: [relations, NESTED_VIEW_DEPTH],
    });
    const partialIndexes = await context.query<PartialIndexRow>('partial-index-candidates', {
      params: [indexes, PARTIAL_INDEX_MIN_NULL_FRAC, PARTIAL_INDEX_MIN_ROWS],
    });
    return deriveRecommendations(
      { publicCreate, superusers, securityDefiner, nestedViews, partialIndexes },
      context.server.database,
    );
  },
};
