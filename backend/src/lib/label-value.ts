/** Longest label value exported; longer object names are cut (and marked) rather than dropped. */
export const MAX_LABEL_LENGTH = 120;

/**
 * Relation, schema and application names come from users: strip control characters and bound
 * the length so that a hostile or odd name cannot break the exposition format or blow up memory.
 */
export function sanitizeLabelValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > MAX_LABEL_LENGTH ? `${clean.slice(0, MAX_LABEL_LENGTH - 1)}…` : clean;
}
