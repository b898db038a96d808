import { DataSourceSettings } from '@grafana/data';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import React from 'react';
import { FakeBackendSrv, makeDataSource } from '../../test/fakes';
import type { CatalogResponse } from '@pg-governor/contract';
import {
  PgGovernorOptions,
  PgGovernorQuery,
  PgGovernorSecureOptions,
  PgGovernorVariableQuery,
} from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { ConfigEditor } from './ConfigEditor';
import { metricOptions } from './MetricField';
import { QueryEditor } from './QueryEditor';
import { describeVariableQuery } from '../variable-description';
import { VariableQueryEditor } from './VariableQueryEditor';

const CATALOG: CatalogResponse = {
  version: '0.1.0',
  metrics: [
    {
      name: 'pgg_connections',
      help: 'Connections by database and state',
      type: 'gauge',
      unit: 'short',
      labels: ['datname', 'state'],
      loop: 'hot',
      collector: 'activity',
      sql: [
        {
          major: 14,
          file: 'collectors/activity/14.sql',
          text: 'SELECT datname, state FROM pg_stat_activity',
        },
      ],
    },
    {
      name: 'pgg_xact_commit',
      help: 'Commits',
      type: 'counter',
      unit: 'short',
      rateUnit: 'ops',
      labels: ['datname'],
      loop: 'workload',
      collector: 'workload',
      sql: [],
    },
  ],
  tables: [
    {
      kind: 'sessions',
      description: 'Sessions now',
      source: 'snapshot',
      collectors: ['activity'],
      loop: 'hot',
      columns: [
        { name: 'datname', type: 'string' },
        { name: 'xact_age_seconds', type: 'number', unit: 's' },
      ],
      sql: [{ major: null, file: 'collectors/sessions.sql', text: 'SELECT * FROM pg_stat_activity' }],
    },
  ],
};

function catalogDataSource() {
  const backend = new FakeBackendSrv((r) =>
    r.url.endsWith('/api/v1/catalog') ? { status: 200, data: CATALOG } : { status: 200, data: [] },
  );
  return makeDataSource(backend);
}

describe('QueryEditor', () => {
  it('shows the metric, its filters and options, and its SQL', async () => {
    const query: PgGovernorQuery = {
      refId: 'A',
      kind: 'timeseries',
      metric: 'pgg_connections',
      aggregation: 'avg',
    };
    render(
      <QueryEditor
        datasource={catalogDataSource()}
        query={query}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />,
    );
    expect(await screen.findByText('SQL')).toBeTruthy();
    expect(screen.getByLabelText('Filter Database')).toBeTruthy();
    expect(screen.getByLabelText('Filter State')).toBeTruthy();
    expect(screen.queryByLabelText('Filter Relation')).toBeNull();
    fireEvent.click(screen.getByText('SQL'));
    expect((await screen.findByTestId('pgg-sql')).textContent).toContain(
      'SELECT datname, state FROM pg_stat_activity',
    );
  });

  it('changes the legend and runs the query', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const query: PgGovernorQuery = { refId: 'A', kind: 'timeseries', metric: 'pgg_connections' };
    render(
      <QueryEditor
        datasource={catalogDataSource()}
        query={query}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />,
    );
    await screen.findByText('SQL');
    const legend = document.getElementById('pgg-legend') as HTMLInputElement;
    fireEvent.change(legend, { target: { value: '{{datname}}' } });
    fireEvent.blur(legend);
    expect(onChange).toHaveBeenCalledWith({ ...query, legendFormat: '{{datname}}' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('keeps the highest series under the limit when asked, and the first by labels again', async () => {
    const onChange = jest.fn();
    const query: PgGovernorQuery = { refId: 'A', kind: 'timeseries', metric: 'pgg_connections', limit: 10 };
    const { rerender } = render(
      <QueryEditor
        datasource={catalogDataSource()}
        query={query}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />,
    );
    await screen.findByText('SQL');
    fireEvent.keyDown(screen.getByLabelText('Keep'), { key: 'ArrowDown' });
    fireEvent.click(await screen.findByText('The series with the highest peak over the range'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, top: 'max' });

    rerender(
      <QueryEditor
        datasource={catalogDataSource()}
        query={{ ...query, top: 'max' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />,
    );
    fireEvent.keyDown(screen.getByLabelText('Keep'), { key: 'ArrowDown' });
    fireEvent.click(await screen.findByText('The first series by target and labels'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, top: undefined });
  });

  it('shows table options (as of, Top N, order and filters) for a table kind', async () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const query: PgGovernorQuery = { refId: 'B', kind: 'table', table: 'sessions' };
    render(
      <QueryEditor
        datasource={catalogDataSource()}
        query={query}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />,
    );
    await screen.findByText('SQL');
    fireEvent.click(screen.getByLabelText('Panel time'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, asOf: '$__to' });
    const topN = document.getElementById('pgg-top-n') as HTMLInputElement;
    fireEvent.change(topN, { target: { value: '15' } });
    fireEvent.blur(topN);
    expect(onChange).toHaveBeenLastCalledWith({ ...query, limit: 15 });
    expect(screen.getByLabelText('Filter Database')).toBeTruthy();
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('says why when the catalog cannot be loaded', async () => {
    const ds = makeDataSource(new FakeBackendSrv(() => ({ status: 401, data: { message: 'bad token' } })));
    render(
      <QueryEditor
        datasource={ds}
        query={{ refId: 'A', kind: 'timeseries' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />,
    );
    expect(await screen.findByText(/refused the API token \(401\): bad token/)).toBeTruthy();
  });

  it('groups metrics by collector with their help text and unit (counters as rates)', () => {
    expect(metricOptions(CATALOG.metrics)).toEqual([
      {
        label: 'activity',
        options: [
          {
            label: 'pgg_connections',
            value: 'pgg_connections',
            description: 'Connections by database and state (short)',
          },
        ],
      },
      {
        label: 'workload',
        options: [{ label: 'pgg_xact_commit', value: 'pgg_xact_commit', description: 'Commits (ops)' }],
      },
    ]);
  });
});

describe('ConfigEditor', () => {
  const options = {
    id: 1,
    uid: 'pgg',
    name: 'PG Governor',
    type: 'pggovernor-postgres-datasource',
    jsonData: { backendUrl: 'http://backend:8765' },
    secureJsonFields: { apiToken: true },
    secureJsonData: {},
  } as unknown as DataSourceSettings<PgGovernorOptions, PgGovernorSecureOptions>;

  it('edits the backend URL and default target in jsonData', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
    fireEvent.change(document.getElementById('pgg-backend-url') as HTMLInputElement, {
      target: { value: 'http://pgg:8765' },
    });
    expect(onOptionsChange).toHaveBeenLastCalledWith({
      ...options,
      jsonData: { backendUrl: 'http://pgg:8765' },
    });
    fireEvent.change(document.getElementById('pgg-default-target') as HTMLInputElement, {
      target: { value: 'main' },
    });
    expect(onOptionsChange.mock.calls.at(-1)[0].jsonData.defaultTarget).toBe('main');
  });

  it("suggests the backend's own port, 8765 (backend/src/config/schema.ts: http.port)", () => {
    render(<ConfigEditor options={{ ...options, jsonData: {} }} onOptionsChange={jest.fn()} />);
    const url = document.getElementById('pgg-backend-url') as HTMLInputElement;
    expect(url.placeholder).toBe('http://localhost:8765');
    expect(screen.getByText(/port 8765 by default\), e\.g\. http:\/\/pg-governor:8765$/)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/9187/);
  });

  it('shows a configured token as configured, and resets it', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
    expect((document.getElementById('pgg-api-token') as HTMLInputElement).value).toBe('configured');
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenLastCalledWith({
      ...options,
      secureJsonFields: { apiToken: false },
      secureJsonData: { apiToken: '' },
    });
  });

  it('puts a new token into secureJsonData only', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={{ ...options, secureJsonFields: {} }} onOptionsChange={onOptionsChange} />);
    fireEvent.change(document.getElementById('pgg-api-token') as HTMLInputElement, {
      target: { value: 's3cret' },
    });
    const saved = onOptionsChange.mock.calls.at(-1)[0];
    expect(saved.secureJsonData).toEqual({ apiToken: 's3cret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('s3cret');
  });
});

describe('VariableQueryEditor and AnnotationQueryEditor', () => {
  // Grafana 12 takes a custom variable editor's `query.query`, when a string, as the variable's
  // definition: what the dashboard's list of variables shows.
  it('saves a chained variable query with a readable definition', () => {
    const onChange = jest.fn();
    render(
      <VariableQueryEditor
        datasource={catalogDataSource()}
        query={{ refId: 'V', variable: 'databases', query: 'databases' }}
        onChange={onChange}
      />,
    );
    expect(onChange).not.toHaveBeenCalled();
    const target = document.getElementById('pgg-variable-target') as HTMLInputElement;
    fireEvent.change(target, { target: { value: '$target' } });
    act(() => {
      fireEvent.blur(target);
    });
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'V',
      variable: 'databases',
      target: '$target',
      query: 'databases of $target',
    });
  });

  it('saves a new variable as one of targets, with its definition, before any change', () => {
    const onChange = jest.fn();
    render(
      <VariableQueryEditor
        datasource={catalogDataSource()}
        query={{ refId: 'V' } as PgGovernorVariableQuery}
        onChange={onChange}
      />,
    );
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', variable: 'targets', query: 'targets' });
  });

  it('describes what a variable lists, chained and searched', () => {
    const words = (q: Partial<PgGovernorVariableQuery>) =>
      describeVariableQuery({ refId: 'V', variable: 'relations', ...q });
    expect(words({ variable: 'targets' })).toBe('targets');
    expect(words({ variable: 'databases', target: '$target' })).toBe('databases of $target');
    expect(words({ database: '$database' })).toBe('relations of $database');
    expect(words({ target: '$target', database: '$database', search: 'pg_' })).toBe(
      'relations of $database on $target matching "pg_"',
    );
  });

  it('keeps an annotation query of kind annotations with its target', async () => {
    const onChange = jest.fn();
    render(
      <AnnotationQueryEditor
        datasource={catalogDataSource()}
        query={{ refId: 'Anno', kind: 'annotations', kinds: ['interventions'] }}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />,
    );
    expect(screen.getByText('Interventions and governor decisions')).toBeTruthy();
    const target = document.getElementById('pgg-annotation-target') as HTMLInputElement;
    fireEvent.change(target, { target: { value: '$target' } });
    fireEvent.blur(target);
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        refId: 'Anno',
        kind: 'annotations',
        kinds: ['interventions'],
        target: '$target',
      }),
    );
  });
});
