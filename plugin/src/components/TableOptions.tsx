import { InlineField, InlineFieldRow, Input, RadioButtonGroup, Select } from '@grafana/ui';
import React from 'react';
import type { CatalogTable, SortOrder } from '@pg-governor/contract';
import { PANEL_TIME, PgGovernorQuery } from '../types';
import { toLimit } from './TimeSeriesOptions';

interface Props {
  query: PgGovernorQuery;
  table?: CatalogTable;
  onChange: (patch: Partial<PgGovernorQuery>) => void;
}

const AS_OF = [
  { label: 'Latest', value: 'latest', description: 'What the backend holds now' },
  { label: 'Panel time', value: PANEL_TIME, description: 'The snapshot at the end of the time range' },
];

const ORDERS: Array<{ label: string; value: SortOrder }> = [
  { label: 'desc', value: 'desc' },
  { label: 'asc', value: 'asc' },
];

/** A table's Top-N, sort and point in time. */
export function TableOptions({ query, table, onChange }: Props) {
  const columns = (table?.columns ?? []).map((c) => ({
    label: c.name,
    value: c.name,
    description: c.description,
  }));
  return (
    <InlineFieldRow>
      <InlineField label="As of" labelWidth={14}>
        <RadioButtonGroup
          options={AS_OF}
          value={query.asOf === PANEL_TIME ? PANEL_TIME : 'latest'}
          onChange={(v) => onChange({ asOf: v })}
        />
      </InlineField>
      <InlineField label="Top N" labelWidth={8}>
        <Input
          id="pgg-top-n"
          type="number"
          width={10}
          min={1}
          max={10000}
          defaultValue={query.limit ?? ''}
          onBlur={(e) => onChange({ limit: toLimit(e.currentTarget.value) })}
        />
      </InlineField>
      <InlineField label="Order by" labelWidth={10}>
        <Select
          inputId="pgg-order-by"
          aria-label="Order by"
          width={24}
          options={columns}
          value={query.orderBy ? { label: query.orderBy, value: query.orderBy } : null}
          onChange={(v) => onChange({ orderBy: v?.value || undefined })}
          isClearable
          placeholder="table default"
        />
      </InlineField>
      <InlineField label="Order" labelWidth={8}>
        <RadioButtonGroup
          options={ORDERS}
          value={query.order ?? 'desc'}
          onChange={(v) => onChange({ order: v })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
