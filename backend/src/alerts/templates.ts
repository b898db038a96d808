import { HUMANIZER } from './humanize';
import { Labels, ValueUnit } from '../catalog/alerts/types';

/**
 * The catalog's summary and description templates use a neutral syntax: {{label.<name>}},
 * {{value}} (the measured value) and {{threshold}} (the level's threshold). They render to Go
 * templates for Prometheus and Grafana, and to text in the backend, with the same wording.
 */
const PLACEHOLDER = /\{\{\s*(label\.([A-Za-z_][A-Za-z0-9_]*)|value|threshold)\s*\}\}/g;

export interface TemplateParts {
  label: (name: string) => string;
  value: string;
  threshold: string;
}

export function renderTemplate(template: string, parts: TemplateParts): string {
  return template.replace(PLACEHOLDER, (_match, what: string, label: string | undefined) =>
    label !== undefined ? parts.label(label) : what === 'value' ? parts.value : parts.threshold,
  );
}

export function renderForBackend(
  template: string,
  values: { labels: Labels; value: number; threshold: number; unit: ValueUnit },
): string {
  const format = HUMANIZER[values.unit].format;
  return renderTemplate(template, {
    label: (name) => values.labels[name] ?? '',
    value: format(values.value),
    threshold: format(values.threshold),
  });
}

export function renderForPrometheus(template: string, unit: ValueUnit, threshold: number): string {
  const { fn, format } = HUMANIZER[unit];
  return renderTemplate(template, {
    label: (name) => `{{ $labels.${name} }}`,
    value: `{{ $value | ${fn} }}`,
    threshold: format(threshold),
  });
}

/** Grafana: the reduced value of the rule's query is $values.B. */
export function renderForGrafana(template: string, unit: ValueUnit, threshold: number): string {
  const { fn, format } = HUMANIZER[unit];
  return renderTemplate(template, {
    label: (name) => `{{ $labels.${name} }}`,
    value: `{{ ${fn} $values.B.Value }}`,
    threshold: format(threshold),
  });
}

/** Placeholders a template uses that are not instance labels (catalog consistency checks). */
export function unknownLabels(template: string, instanceLabels: string[]): string[] {
  const unknown: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const label = match[2];
    if (label !== undefined && !instanceLabels.includes(label)) unknown.push(label);
  }
  return unknown;
}
