/**
 * The Top-N relations and indexes by size as ranked last (relation-ranking.pg14.sql,
 * relation-index-ranking.pg14.sql): their oids, best first, when, and for which Top-N.
 */
export interface SizeRanking {
  at: number;
  topN: { relations: number; indexes: number };
  relations: number[];
  indexes: number[];
}

/**
 * Whether this cycle ranks the relations and indexes by size: none ranked yet, the last ranking
 * intervalMs ago or more (or in the future: the clock went back), another Top-N, or fewer relations
 * or indexes than N at the last ranking (then every one is in the Top-N, a new one too, and ranking
 * them costs little). Ranking reads every relation of the database, so it runs every
 * size_ranking.interval_s rather than every storage cycle; in between, the relations and indexes
 * ranked last are read with fresh figures.
 */
export function rankingDue(
  ranking: SizeRanking | undefined,
  now: number,
  intervalMs: number,
  topN: SizeRanking['topN'],
): boolean {
  if (!ranking || now - ranking.at >= intervalMs || now < ranking.at) return true;
  if (ranking.topN.relations !== topN.relations || ranking.topN.indexes !== topN.indexes) return true;
  return ranking.relations.length < topN.relations || ranking.indexes.length < topN.indexes;
}

/**
 * The statements that rank, with their parameters, in the order the collector sends them (the
 * benches time a ranking with the same list).
 */
export function rankingQueries(topN: SizeRanking['topN']): { name: string; params: unknown[] }[] {
  return [
    { name: 'relation-ranking', params: [topN.relations] },
    { name: 'relation-index-ranking', params: [topN.indexes] },
  ];
}

/** A ranking from the oids of the ranking statements' rows (best first), as of `now`. */
export function rankingOf(
  relations: { oid: number | string }[],
  indexes: { oid: number | string }[],
  now: number,
  topN: SizeRanking['topN'],
): SizeRanking {
  return {
    at: now,
    topN: { ...topN },
    relations: relations.map((row) => Number(row.oid)),
    indexes: indexes.map((row) => Number(row.oid)),
  };
}
