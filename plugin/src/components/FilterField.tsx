import { InlineField, MultiSelect } from '@grafana/ui';
import React from 'react';
import type { DataSource } from '../datasource';
import type { VariableName } from '@pg-governor/contract';
import { useVariableOptions } from './useVariableOptions';

interface Props {
  datasource: DataSource;
  name: string;
  label: string;
  variable?: VariableName;
  target?: string;
  database?: string;
  value?: string | string[];
  onChange: (name: string, value: string[]) => void;
}

/** One filter: values from the backend (chained to the target and database), or typed, or $variables. */
export function FilterField({ datasource, name, label, variable, target, database, value, onChange }: Props) {
  const { options, isLoading, load } = useVariableOptions(datasource, variable, { target, database });
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return (
    <InlineField label={label} labelWidth={14}>
      <MultiSelect
        inputId={`pgg-filter-${name}`}
        aria-label={`Filter ${label}`}
        width={36}
        options={options}
        isLoading={isLoading}
        onOpenMenu={load}
        value={values.map((v) => ({ label: v, value: v }))}
        onChange={(selected) =>
          onChange(
            name,
            selected.map((s) => s.value).filter((v): v is string => !!v),
          )
        }
        allowCustomValue
        placeholder="any"
      />
    </InlineField>
  );
}
