import { InlineField, Select } from '@grafana/ui';
import React from 'react';
import type { DataSource } from '../datasource';
import { useVariableOptions } from './useVariableOptions';

interface Props {
  datasource: DataSource;
  value?: string;
  onChange: (value: string | undefined) => void;
}

/** The monitored PostgreSQL target (or a variable such as $target); empty: every target. */
export function TargetField({ datasource, value, onChange }: Props) {
  const { options, isLoading, load } = useVariableOptions(datasource, 'targets', {});
  return (
    <InlineField label="Target" labelWidth={14} tooltip="Empty: every target">
      <Select
        inputId="pgg-target"
        aria-label="Target"
        width={28}
        options={options}
        isLoading={isLoading}
        onOpenMenu={load}
        value={value ? { label: value, value } : null}
        onChange={(v) => onChange(v?.value || undefined)}
        allowCustomValue
        isClearable
        placeholder="all targets"
      />
    </InlineField>
  );
}
