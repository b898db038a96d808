import { SelectableValue } from '@grafana/data';
import { InlineField, Select } from '@grafana/ui';
import React from 'react';
import type { CatalogResponse } from '@pg-governor/contract';

export const TIMESERIES_KIND = 'timeseries';

interface Props {
  catalog?: CatalogResponse;
  /** 'timeseries' or a table kind. */
  value: string;
  onChange: (value: string) => void;
}

/** Time series, or one of the backend's tables (sessions, top statements, ...). */
export function KindField({ catalog, value, onChange }: Props) {
  const options: Array<SelectableValue<string>> = [
    { label: 'Time series', value: TIMESERIES_KIND, description: 'A metric over time' },
    ...(catalog?.tables ?? []).map((t) => ({
      label: `Table: ${t.kind}`,
      value: t.kind,
      description: t.description,
    })),
  ];
  return (
    <InlineField
      label="Kind"
      labelWidth={14}
      tooltip="A metric over time, or a table of what the backend saw"
    >
      <Select
        inputId="pgg-kind"
        aria-label="Kind"
        width={36}
        options={options}
        value={value}
        onChange={(v) => v.value && onChange(v.value)}
        allowCustomValue
      />
    </InlineField>
  );
}
