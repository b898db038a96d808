import { QueryEditorProps } from '@grafana/data';
import { Alert, InlineFieldRow, Stack } from '@grafana/ui';
import React from 'react';
import type { DataSource } from '../datasource';
import type { Filters } from '@pg-governor/contract';
import { PgGovernorOptions, PgGovernorQuery } from '../types';
import { FilterField } from './FilterField';
import { filtersFor } from './filter-labels';
import { KindField, TIMESERIES_KIND } from './KindField';
import { MetricField } from './MetricField';
import { SqlSection } from './SqlSection';
import { TableOptions } from './TableOptions';
import { TargetField } from './TargetField';
import { TimeSeriesOptions } from './TimeSeriesOptions';
import { useCatalog } from './useCatalog';

type Props = QueryEditorProps<DataSource, PgGovernorQuery, PgGovernorOptions>;

/** Kind and target, then the metric (or table) with its filters and options, then its SQL. */
export function QueryEditor({ datasource, query, onChange, onRunQuery }: Props) {
  const { catalog, error } = useCatalog(datasource);
  const isTable = query.kind === 'table';
  const metric = !isTable ? catalog?.metrics.find((m) => m.name === query.metric) : undefined;
  const table = isTable ? catalog?.tables.find((t) => t.kind === query.table) : undefined;

  const update = (patch: Partial<PgGovernorQuery>) => {
    const next = { ...query, ...patch };
    onChange(next);
    if (isRunnableDraft(next)) onRunQuery();
  };

  const setKind = (kind: string) =>
    kind === TIMESERIES_KIND
      ? update({
          kind: 'timeseries',
          table: undefined,
          asOf: undefined,
          orderBy: undefined,
          order: undefined,
        })
      : update({ kind: 'table', table: kind, metric: undefined, aggregation: undefined, groupBy: undefined });

  const setFilter = (name: string, values: string[]) => {
    const filters: Filters = { ...query.filters };
    if (values.length === 0) delete filters[name];
    else filters[name] = values.length === 1 ? (values[0] as string) : values;
    update({ filters: Object.keys(filters).length > 0 ? filters : undefined });
  };

  const database = typeof query.filters?.datname === 'string' ? query.filters.datname : undefined;

  return (
    <Stack direction="column" gap={1}>
      {error && (
        <Alert severity="error" title="The backend catalog could not be loaded">
          {error}
        </Alert>
      )}
      <InlineFieldRow>
        <KindField
          catalog={catalog}
          value={isTable ? (query.table ?? '') : TIMESERIES_KIND}
          onChange={setKind}
        />
        <TargetField datasource={datasource} value={query.target} onChange={(target) => update({ target })} />
        {!isTable && (
          <MetricField
            metrics={catalog?.metrics ?? []}
            value={query.metric}
            onChange={(m) => update({ metric: m })}
          />
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        {filtersFor(metric, table).map((f) => (
          <FilterField
            key={f.name}
            datasource={datasource}
            name={f.name}
            label={f.label}
            variable={f.variable}
            target={query.target}
            database={f.name === 'datname' ? undefined : database}
            value={query.filters?.[f.name]}
            onChange={setFilter}
          />
        ))}
      </InlineFieldRow>
      {isTable ? (
        <TableOptions query={query} table={table} onChange={update} />
      ) : (
        <TimeSeriesOptions query={query} metric={metric} onChange={update} />
      )}
      {(metric || table) && <SqlSection sql={(metric ?? table)?.sql ?? []} />}
    </Stack>
  );
}

const isRunnableDraft = (q: PgGovernorQuery) => (q.kind === 'table' ? Boolean(q.table) : Boolean(q.metric));
