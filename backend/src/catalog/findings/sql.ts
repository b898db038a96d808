import { SqlText } from '../../contract/catalog';
import { COLLECTOR_DEFINITIONS } from '../collectors';
import { sqlTextsOf } from '../sql-texts';
import { FindingKind } from './types';

const QUERIES = new Map(COLLECTOR_DEFINITIONS.map((c) => [c.name, c.queries]));

/** The sql/collectors queries whose rows a kind's check reads. */
export function findingQueries(kind: FindingKind): string[] {
  return kind.inputs.flatMap((input) => input.queries ?? QUERIES.get(input.collector) ?? []);
}

/**
 * The SQL that found a finding, as the catalog shows SQL: with a major, only the file a server of
 * that major runs for each query; without, every variant.
 */
export function findingSql(kind: FindingKind, major?: number): SqlText[] {
  return findingQueries(kind).flatMap((query) => {
    const texts = sqlTextsOf(query);
    if (major === undefined) return texts;
    const runs = texts.filter((t) => t.major === null || t.major <= major).at(-1);
    return runs ? [runs] : texts;
  });
}
