import { InlineField, InlineFieldRow, Input, MultiSelect, Select } from '@grafana/ui';
import React from 'react';
import type { Aggregation, CatalogMetric, TopBy } from '@pg-governor/contract';
import { PgGovernorQuery } from '../types';

interface Props {
  query: PgGovernorQuery;
  metric?: CatalogMetric;
  onChange: (patch: Partial<PgGovernorQuery>) => void;
}

const AGGREGATIONS: Array<{ label: string; value: Aggregation }> = [
  { label: 'avg', value: 'avg' },
  { label: 'max', value: 'max' },
  { label: 'min', value: 'min' },
  { label: 'last', value: 'last' },
  { label: 'sum', value: 'sum' },
];

/** With more series than the limit: the first by labels, or the highest over the range. */
const TOP: Array<{ label: string; value: TopBy | ''; description: string }> = [
  { label: 'first', value: '', description: 'The first series by target and labels' },
  { label: 'max', value: 'max', description: 'The series with the highest peak over the range' },
  { label: 'avg', value: 'avg', description: 'The series with the highest average over the range' },
  { label: 'last', value: 'last', description: 'The series with the highest latest value' },
];

/** How series are bucketed, named and cut: aggregation, group-by labels, legend, limit and ranking. */
export function TimeSeriesOptions({ query, metric, onChange }: Props) {
  const labels = ['target', ...(metric?.labels ?? [])];
  return (
    <InlineFieldRow>
      <InlineField label="Aggregation" labelWidth={14} tooltip="How samples in one step are combined">
        <Select
          inputId="pgg-aggregation"
          aria-label="Aggregation"
          width={12}
          options={AGGREGATIONS}
          value={query.aggregation ?? 'avg'}
          onChange={(v) => v.value && onChange({ aggregation: v.value })}
        />
      </InlineField>
      <InlineField label="Group by" labelWidth={10} tooltip="Empty: one series per label set">
        <MultiSelect
          inputId="pgg-group-by"
          aria-label="Group by"
          width={28}
          options={labels.map((l) => ({ label: l, value: l }))}
          value={(query.groupBy ?? []).map((g) => ({ label: g, value: g }))}
          onChange={(v) => onChange({ groupBy: v.map((s) => s.value).filter((s): s is string => !!s) })}
          allowCustomValue
        />
      </InlineField>
      <InlineField label="Legend" labelWidth={10} tooltip="e.g. {{target}} {{datname}}">
        <Input
          id="pgg-legend"
          width={24}
          defaultValue={query.legendFormat ?? ''}
          placeholder="{{target}}"
          onBlur={(e) => onChange({ legendFormat: e.currentTarget.value || undefined })}
        />
      </InlineField>
      <InlineField label="Max series" labelWidth={12}>
        <Input
          id="pgg-series-limit"
          type="number"
          width={10}
          min={1}
          max={1000}
          defaultValue={query.limit ?? ''}
          onBlur={(e) => onChange({ limit: toLimit(e.currentTarget.value) })}
        />
      </InlineField>
      <InlineField
        label="Keep"
        labelWidth={8}
        tooltip="Which series the limit keeps: the first by labels, or the highest"
      >
        <Select<TopBy | ''>
          inputId="pgg-top"
          aria-label="Keep"
          width={12}
          options={TOP}
          value={query.top ?? ''}
          onChange={(v) => onChange({ top: v.value || undefined })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}

export function toLimit(text: string): number | undefined {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
