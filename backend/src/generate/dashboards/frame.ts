import { VERSION } from '../../version';
import type {
  DashboardAnnotation,
  DashboardInput,
  DashboardJson,
  DashboardPanel,
  DashboardRequirement,
  DashboardVariable,
  ImportableDashboardJson,
  VariableQuery,
} from './grafana-types';
import {
  DASHBOARD_TAG,
  DashboardSpec,
  PanelSpec,
  PLUGIN_DATASOURCE_NAME,
  PLUGIN_DATASOURCE_UID,
  PLUGIN_INPUT,
  PLUGIN_TYPE,
  PLUGIN_VARIABLE,
  pluginRef,
  PROMETHEUS_DATASOURCE_NAME,
  PROMETHEUS_DATASOURCE_UID,
  PROMETHEUS_INPUT,
  PROMETHEUS_VARIABLE,
  SCHEMA_VERSION,
} from './model';

/**
 * The parts every dashboard shares (variables, annotations, links, layout), in one of two forms:
 * importable (data sources as `__inputs`, which Grafana's import substitutes) or provisioned
 * (the fixed uids of provisioning/datasources: Grafana does not resolve `${DS_...}` there).
 */
export type DashboardForm = 'importable' | 'provisioned';

const GRID_WIDTH = 24;
export const MIN_GRAFANA = '12.3.0';

/** Left to right, wrapping at the grid width; ids in order from 1. */
export function layout(panels: PanelSpec[]): DashboardPanel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((panel, index) => {
    if (x + panel.w > GRID_WIDTH) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed: DashboardPanel = {
      id: index + 1,
      gridPos: { h: panel.h, w: panel.w, x, y },
      ...panel.json,
    };
    x += panel.w;
    rowHeight = Math.max(rowHeight, panel.h);
    return placed;
  });
}

function dataSourceVariable(
  name: string,
  label: string,
  pluginId: string,
  current: { text: string; value: string },
): DashboardVariable {
  return {
    name,
    label,
    type: 'datasource',
    query: pluginId,
    current: { selected: true, text: current.text, value: current.value },
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    refresh: 1,
    regex: '',
  };
}

function queryVariable(
  name: string,
  label: string,
  query: Omit<VariableQuery, 'refId'>,
  options: { multi: boolean; includeAll: boolean },
): DashboardVariable {
  // The plugin's variable editor saves this text as query.query, and Grafana shows it as the
  // definition: both here, so that opening the editor does not mark the dashboard as changed.
  const definition = `${query.variable}${query.target ? ` of ${query.target}` : ''}`;
  return {
    name,
    label,
    type: 'query',
    datasource: pluginRef,
    query: { refId: `PggVariable-${name}`, ...query, query: definition },
    definition,
    // 2: on time range change, so that new targets and databases appear without a reload.
    refresh: 2,
    sort: 1,
    regex: '',
    hide: 0,
    multi: options.multi,
    includeAll: options.includeAll,
    // All when it may be all; else none, and Grafana selects the first option as it loads.
    ...(options.includeAll ? { current: { selected: true, text: ['All'], value: ['$__all'] } } : {}),
    options: [],
  };
}

function variables(spec: DashboardSpec, form: DashboardForm): DashboardVariable[] {
  const importable = form === 'importable';
  const list: DashboardVariable[] = [
    dataSourceVariable(
      PLUGIN_VARIABLE,
      'Data source',
      PLUGIN_TYPE,
      importable
        ? { text: `\${${PLUGIN_INPUT}}`, value: `\${${PLUGIN_INPUT}}` }
        : { text: PLUGIN_DATASOURCE_NAME, value: PLUGIN_DATASOURCE_UID },
    ),
  ];
  if (spec.usesPrometheus)
    list.push(
      dataSourceVariable(
        PROMETHEUS_VARIABLE,
        'Prometheus',
        'prometheus',
        importable
          ? { text: `\${${PROMETHEUS_INPUT}}`, value: `\${${PROMETHEUS_INPUT}}` }
          : { text: PROMETHEUS_DATASOURCE_NAME, value: PROMETHEUS_DATASOURCE_UID },
      ),
    );
  const multi = spec.multiTarget === true;
  list.push(
    queryVariable('target', 'Target', { variable: 'targets' }, { multi, includeAll: multi }),
    // A fleet view lists the databases of every target; a target's view those of $target.
    queryVariable(
      'database',
      'Database',
      multi ? { variable: 'databases' } : { variable: 'databases', target: '$target' },
      { multi: true, includeAll: true },
    ),
  );
  return list;
}

function annotations(spec: DashboardSpec): { list: DashboardAnnotation[] } {
  return {
    list: [
      {
        builtIn: 1,
        datasource: { type: 'grafana', uid: '-- Grafana --' },
        enable: true,
        hide: true,
        iconColor: 'rgba(0, 211, 255, 1)',
        name: 'Annotations & Alerts',
        type: 'dashboard',
      },
      {
        name: 'PG Governor events',
        datasource: pluginRef,
        enable: true,
        hide: false,
        iconColor: 'orange',
        target: { refId: 'PggAnnotations', kinds: spec.annotationKinds, target: '$target' },
      },
    ],
  };
}

function inputs(spec: DashboardSpec): DashboardInput[] {
  return [
    {
      name: PLUGIN_INPUT,
      label: PLUGIN_DATASOURCE_NAME,
      description: 'The PG Governor backend',
      type: 'datasource',
      pluginId: PLUGIN_TYPE,
      pluginName: PLUGIN_DATASOURCE_NAME,
    },
    ...(spec.usesPrometheus
      ? [
          {
            name: PROMETHEUS_INPUT,
            label: 'Prometheus',
            description: "A Prometheus that scrapes the backend's /metrics",
            type: 'datasource',
            pluginId: 'prometheus',
            pluginName: 'Prometheus',
          } satisfies DashboardInput,
        ]
      : []),
  ];
}

function requires(spec: DashboardSpec, panels: DashboardPanel[]): DashboardRequirement[] {
  const panelTypes = [...new Set(panels.map((p) => p.type))].sort();
  return [
    { type: 'grafana', id: 'grafana', name: 'Grafana', version: MIN_GRAFANA },
    { type: 'datasource', id: PLUGIN_TYPE, name: PLUGIN_DATASOURCE_NAME, version: VERSION },
    ...(spec.usesPrometheus
      ? [
          {
            type: 'datasource',
            id: 'prometheus',
            name: 'Prometheus',
            version: '1.0.0',
          } satisfies DashboardRequirement,
        ]
      : []),
    ...panelTypes.map((id): DashboardRequirement => ({ type: 'panel', id, name: id, version: '' })),
  ];
}

export function renderDashboard(spec: DashboardSpec, form: 'importable'): ImportableDashboardJson;
export function renderDashboard(spec: DashboardSpec, form: 'provisioned'): DashboardJson;
export function renderDashboard(
  spec: DashboardSpec,
  form: DashboardForm,
): DashboardJson | ImportableDashboardJson {
  const panels = layout(spec.panels);
  const body: DashboardJson = {
    annotations: annotations(spec),
    description: spec.description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [
      {
        title: 'PG Governor',
        type: 'dashboards',
        tags: [DASHBOARD_TAG],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: 'The other PG Governor dashboards, same time range and variables',
        url: '',
      },
    ],
    panels,
    refresh: '30s',
    schemaVersion: SCHEMA_VERSION,
    tags: [DASHBOARD_TAG, 'postgresql'],
    templating: { list: variables(spec, form) },
    time: spec.time ?? { from: 'now-3h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    title: spec.title,
    uid: spec.uid,
    version: 1,
    weekStart: '',
  };
  return form === 'importable'
    ? { __inputs: inputs(spec), __requires: requires(spec, panels), ...body }
    : body;
}
