const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A series' display name from a Prometheus-style legend format: "{{datname}} {{state}}". A label
 * the series does not have becomes empty, as in Prometheus; other text stays as it is.
 */
export function formatLegend(format: string, labels: Record<string, string>): string {
  return format
    .replace(PLACEHOLDER, (_match, name: string) =>
      Object.hasOwn(labels, name) ? (labels[name] as string) : '',
    )
    .trim();
}
