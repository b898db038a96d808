import { SelectableValue } from '@grafana/data';
import { InlineField, Select } from '@grafana/ui';
import React, { useMemo } from 'react';
import type { CatalogMetric } from '@pg-governor/contract';

interface Props {
  metrics: CatalogMetric[];
  value?: string;
  onChange: (value: string) => void;
}

const unitOf = (m: CatalogMetric) => (m.type === 'counter' ? (m.rateUnit ?? `${m.unit}/s`) : m.unit);

/** Metrics grouped by collector, with their help text and unit. */
export function metricOptions(metrics: CatalogMetric[]): Array<SelectableValue<string>> {
  const groups = new Map<string, Array<SelectableValue<string>>>();
  for (const m of metrics) {
    const list = groups.get(m.collector) ?? [];
    list.push({ label: m.name, value: m.name, description: `${m.help} (${unitOf(m)})` });
    groups.set(m.collector, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([collector, options]) => ({ label: collector, options }));
}

export function MetricField({ metrics, value, onChange }: Props) {
  const options = useMemo(() => metricOptions(metrics), [metrics]);
  return (
    <InlineField label="Metric" labelWidth={14} grow>
      <Select
        inputId="pgg-metric"
        aria-label="Metric"
        width={48}
        options={options}
        value={value ? { label: value, value } : null}
        onChange={(v) => v.value && onChange(v.value)}
        allowCustomValue
        placeholder="choose a metric"
      />
    </InlineField>
  );
}
