import { TopBy } from '../../contract/query';
import { seriesValues } from '../../store/reader';
import { SeriesResult } from '../../store/types';

/** What `by` makes of a series' values over the range; undefined when it has none. */
export function seriesMeasure(values: readonly (number | null)[], by: TopBy): number | undefined {
  const numbers = values.filter((v): v is number => v !== null);
  if (numbers.length === 0) return undefined;
  switch (by) {
    case 'max':
      return numbers.reduce((a, b) => (b > a ? b : a));
    case 'avg':
      return numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'last':
      return numbers[numbers.length - 1];
  }
}

/**
 * The `limit` series highest by `by` over the range, highest first ("the 10 largest relations"),
 * where a plain limit keeps the first by target and labels. Series without a value come last; ties
 * keep the store's order (target, labels), so the answer is the same on every call.
 */
export function topSeries(results: readonly SeriesResult[], limit: number, by: TopBy): SeriesResult[] {
  return results
    .map((result, i) => ({ result, i, measure: seriesMeasure(seriesValues(result), by) }))
    .sort((a, b) => {
      if (a.measure === undefined || b.measure === undefined)
        return a.measure === b.measure ? a.i - b.i : a.measure === undefined ? 1 : -1;
      return b.measure - a.measure || a.i - b.i;
    })
    .slice(0, limit)
    .map((ranked) => ranked.result);
}
