/**
 * What Grafana's data-frame JSON (DataFrameJSON of @grafana/data) requires of a frame, as a list
 * of problems (empty: the frame is well formed), so that a failing test says what is wrong.
 */
const FIELD_TYPES = new Set(['time', 'number', 'string', 'boolean']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function valueProblem(type: string, value: unknown): string | undefined {
  if (value === null) return undefined; // a table cell may be empty; a series' time never is (checked below)
  if (type === 'time') return Number.isInteger(value) ? undefined : 'a time that is not integer ms';
  if (type === 'number')
    return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a non-number';
  if (type === 'string') return typeof value === 'string' ? undefined : 'a non-string';
  return typeof value === 'boolean' ? undefined : 'a non-boolean';
}

export function frameProblems(frame: unknown): string[] {
  if (!isObject(frame) || !isObject(frame.schema) || !isObject(frame.data)) return ['not { schema, data }'];
  const problems: string[] = [];
  const { schema, data } = frame;
  if (typeof schema.refId !== 'string') problems.push('schema.refId is not a string');
  const fields = schema.fields;
  if (!Array.isArray(fields) || fields.length === 0) return [...problems, 'schema.fields is empty'];
  const values = data.values;
  if (!Array.isArray(values) || values.length !== fields.length) {
    return [...problems, 'data.values does not have one column per field'];
  }
  const length = (values[0] as unknown[]).length;
  fields.forEach((field: unknown, i) => {
    if (!isObject(field) || typeof field.name !== 'string' || field.name === '') {
      problems.push(`field ${i} has no name`);
      return;
    }
    const where = `field ${field.name}`;
    if (!FIELD_TYPES.has(field.type as string)) problems.push(`${where}: type ${String(field.type)}`);
    if (!isObject(field.config)) problems.push(`${where}: no config`);
    if (field.labels !== undefined) {
      if (!isObject(field.labels) || Object.values(field.labels).some((v) => typeof v !== 'string')) {
        problems.push(`${where}: labels are not strings`);
      }
    }
    const column = values[i];
    if (!Array.isArray(column) || column.length !== length) {
      problems.push(`${where}: column length differs`);
      return;
    }
    const bad = column.map((v) => valueProblem(field.type as string, v)).find(Boolean);
    if (bad) problems.push(`${where}: holds ${bad}`);
  });
  if (isObject(schema.meta) && schema.meta.type === 'timeseries-multi') {
    const [time, value] = fields as Json[];
    if (fields.length !== 2 || time?.type !== 'time' || value?.type !== 'number') {
      problems.push('timeseries-multi: not [time, number]');
    }
    const times = values[0] as number[];
    if (times.some((t) => t === null)) problems.push('a null time in a series');
    if (times.some((t, i) => i > 0 && t <= (times[i - 1] as number))) problems.push('times not ascending');
  }
  return problems;
}
