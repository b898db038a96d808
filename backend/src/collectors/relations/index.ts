import { relationsDefinition } from '../../catalog/collectors/relations';
import { CollectContext, Collector } from '../types';
import { deriveRelations, IndexSizeRow, RelationCountRow, RelationRow } from './derive';
import { rankingDue, rankingOf, rankingQueries, SizeRanking } from './ranking';

const RANKING = 'ranking';

/** The Top-N by size: ranked every size_ranking.interval_s (it reads every relation), remembered in between. */
async function sizeRanking(context: CollectContext): Promise<SizeRanking> {
  const { now, state, sizeRankingIntervalMs: interval } = context;
  const topN = { relations: context.topN.relations, indexes: context.topN.indexes };
  const last = state.get(RANKING) as SizeRanking | undefined;
  if (last && !rankingDue(last, now, interval, topN)) return last;
  const ranked: { oid: number }[][] = [];
  for (const { name, params } of rankingQueries(topN)) ranked.push(await context.query(name, { params }));
  const [relations = [], indexes = []] = ranked;
  const ranking = rankingOf(relations, indexes, now, topN);
  state.set(RANKING, ranking);
  return ranking;
}

export const relationsCollector: Collector = {
  ...relationsDefinition,
  async collect(context) {
    const ranking = await sizeRanking(context);
    const { relations: relationsN, indexes: indexesN } = context.topN;
    const relations = await context.query<RelationRow>('relations', {
      params: [relationsN, ranking.relations],
    });
    const indexes = await context.query<IndexSizeRow>('relation-indexes', {
      params: [indexesN, ranking.indexes],
    });
    const counts = await context.query<RelationCountRow>('relation-counts');
    return deriveRelations(context.server.database, relations, indexes, counts);
  },
};
