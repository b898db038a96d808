import { InlineField, InlineFieldRow, Input, Select } from '@grafana/ui';
import React, { useEffect } from 'react';
import type { DataSource } from '../datasource';
import type { VariableName } from '@pg-governor/contract';
import { PgGovernorVariableQuery, VARIABLE_NAMES } from '../types';
import { describeVariableQuery } from '../variable-description';

interface Props {
  datasource: DataSource;
  query: PgGovernorVariableQuery;
  onChange: (query: PgGovernorVariableQuery) => void;
}

const LABELS: Record<VariableName, string> = {
  targets: 'Targets',
  databases: 'Databases',
  relations: 'Relations',
  applications: 'Applications',
  users: 'Users',
  queryids: 'Query ids',
  metrics: 'Metrics',
  tables: 'Tables',
};

/** The query as saved: its variable (targets unless chosen) and its description. */
const complete = (query: PgGovernorVariableQuery): PgGovernorVariableQuery => {
  const withVariable = { ...query, variable: query.variable ?? 'targets' };
  return { ...withVariable, query: describeVariableQuery(withVariable) };
};

/** Which values a template variable lists; chaining through $target and $database. */
export function VariableQueryEditor({ query, onChange }: Props) {
  const saved = complete(query);
  // A new variable (or one saved before descriptions) is saved complete at once, so that it lists
  // targets and Grafana shows its definition without a change first.
  useEffect(() => {
    if (query.variable !== saved.variable || query.query !== saved.query) onChange(saved);
  });
  const variable = saved.variable;
  const set = (patch: Partial<PgGovernorVariableQuery>) =>
    onChange(complete({ ...query, variable, ...patch }));
  const text = (key: 'target' | 'database' | 'search') => (e: React.FocusEvent<HTMLInputElement>) =>
    set({ [key]: e.currentTarget.value || undefined });
  return (
    <InlineFieldRow>
      <InlineField label="Values of" labelWidth={14}>
        <Select
          inputId="pgg-variable"
          aria-label="Values of"
          width={20}
          options={VARIABLE_NAMES.map((v) => ({ label: LABELS[v], value: v }))}
          value={variable}
          onChange={(v) => v.value && set({ variable: v.value })}
        />
      </InlineField>
      <InlineField label="Target" labelWidth={10} tooltip="Chaining: e.g. $target">
        <Input
          id="pgg-variable-target"
          width={16}
          defaultValue={query.target ?? ''}
          onBlur={text('target')}
        />
      </InlineField>
      <InlineField label="Database" labelWidth={10} tooltip="Chaining: e.g. $database">
        <Input
          id="pgg-variable-database"
          width={16}
          defaultValue={query.database ?? ''}
          onBlur={text('database')}
        />
      </InlineField>
      <InlineField label="Search" labelWidth={10} tooltip="Case-insensitive substring">
        <Input
          id="pgg-variable-search"
          width={16}
          defaultValue={query.search ?? ''}
          onBlur={text('search')}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
