import { CellType } from '../catalog/types';
import { Cell } from '../collectors/types';
import { DataFrameJSON, FieldConfig, FrameField, FrameMeta } from '../contract/frames';

/**
 * Grafana's data-frame JSON (the contract's DataFrameJSON): times are ms since the epoch; JSON has
 * no NaN or Infinity, so those are sent as null.
 */

export interface ColumnSpec {
  name: string;
  type: CellType;
  unit?: string;
  description?: string;
}

/**
 * A frame already in JSON text. A time series' values arrive from the store as JSON array bodies
 * and are spliced in as they are: tens of thousands of numbers are neither parsed nor printed again.
 */
export class SerializedFrame {
  constructor(readonly json: string) {}
}

export type Frame = DataFrameJSON | SerializedFrame;

export const frameJson = (frame: Frame): string =>
  frame instanceof SerializedFrame ? frame.json : JSON.stringify(frame);

/** One series as a frame: the time field first, then the value field carrying the labels. */
export function timeSeriesFrame(options: {
  refId: string;
  name: string;
  unit: string;
  labels: Record<string, string>;
  /** The store's JSON array bodies (SeriesResult): bucket start ms, and values (null: none). */
  times: string;
  values: string;
  stepMs: number;
  displayName?: string;
}): SerializedFrame {
  const config: FieldConfig = { unit: options.unit };
  if (options.displayName) config.displayNameFromDS = options.displayName;
  const schema: DataFrameJSON['schema'] = {
    refId: options.refId,
    name: options.displayName ?? options.name,
    meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
    fields: [
      { name: 'time', type: 'time', config: { interval: options.stepMs } },
      { name: options.name, type: 'number', config, labels: options.labels },
    ],
  };
  return new SerializedFrame(
    `{"schema":${JSON.stringify(schema)},"data":{"values":[[${options.times}],[${options.values}]]}}`,
  );
}

/** A value as its column's type, or null when it is not one (the store's JSON, pg's bigint text). */
export function cellOf(value: unknown, type: CellType): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'number': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      return Number.isFinite(n) ? n : null;
    }
    case 'time': {
      // Whole ms: the collectors' epoch * 1000 carries microseconds as a fraction.
      let ms = NaN;
      if (typeof value === 'number') ms = value;
      else if (value instanceof Date) ms = value.getTime();
      else if (typeof value === 'string')
        ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
      return Number.isFinite(ms) ? Math.round(ms) : null;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 't' || value === 'true') return true;
      if (value === 'f' || value === 'false') return false;
      return null;
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return JSON.stringify(value);
  }
}

/** Rows as a table frame: one typed field per column, values column by column. */
export function tableFrame(options: {
  refId: string;
  name: string;
  columns: ColumnSpec[];
  rows: Record<string, unknown>[];
  meta?: FrameMeta;
}): DataFrameJSON {
  const fields: FrameField[] = options.columns.map((c) => {
    const config: FieldConfig = {};
    if (c.unit) config.unit = c.unit;
    if (c.description) config.description = c.description;
    return { name: c.name, type: c.type, config };
  });
  const values = options.columns.map((c) => options.rows.map((row) => cellOf(row[c.name], c.type)));
  return {
    schema: {
      refId: options.refId,
      name: options.name,
      meta: { preferredVisualisationType: 'table', ...options.meta },
      fields,
    },
    data: { values },
  };
}
