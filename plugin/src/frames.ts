import { DataFrame, DataFrameJSON, DataQueryError, dataFrameFromJSON } from '@grafana/data';
import type { DataFrameJSON as FrameJSON, QueryResponse } from '@pg-governor/contract';

/** Frames and per-refId errors of a POST /api/v1/query answer. */
export function framesOf(
  response: QueryResponse,
  refIds: string[],
): { data: DataFrame[]; errors: DataQueryError[] } {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const refId of refIds) {
    const result = response.results[refId];
    if (!result) {
      errors.push({ refId, message: `the backend sent no result for query ${refId}` });
      continue;
    }
    if ('error' in result) {
      errors.push({ refId, message: result.error });
      continue;
    }
    for (const frame of result.frames) data.push(toDataFrame(frame, refId));
  }
  return { data, errors };
}

/** Grafana's own decoder: field types, units and display names come as the backend set them. */
export function toDataFrame(frame: FrameJSON, refId: string): DataFrame {
  const decoded = dataFrameFromJSON(frame as unknown as DataFrameJSON);
  return { ...decoded, refId: decoded.refId ?? refId };
}
