import type {
  AnnotationQuery,
  Dashboard,
  DataQuery,
  FieldConfig,
  FieldConfigSource,
  GraphFieldConfig,
  Panel,
  TableFieldOptions,
  VariableModel,
} from '@grafana/schema';
import type { Options as StatPanelOptions } from '@grafana/schema/dist/types/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as TablePanelOptions } from '@grafana/schema/dist/types/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type { Options as TimeSeriesPanelOptions } from '@grafana/schema/dist/types/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type {
  DataLink,
  QueryVariableSpec,
} from '@grafana/schema/dist/types/schema/dashboard/v2beta1/types.spec.gen';
import type { AnnotationKind } from '../../contract/annotations';
import type { TableQuery, TimeSeriesQuery } from '../../contract/query';
import type { VariableName } from '../../contract/variables';

/**
 * The dashboard JSON's types: @grafana/schema's (Grafana 12.3), narrowed where that schema types a
 * field loosely (panel options, targets and custom field config as records), and small types of our
 * own where it has none. Type-only: the generator loads nothing of @grafana/schema at run time.
 * test/dashboards/schema-types.test.ts checks the generated files against the schema itself.
 */

/** The panel plugins' options that the panel builders fill in. */
export type { StatPanelOptions, TimeSeriesPanelOptions };

/**
 * A schema type as the JSON holds it. @grafana/schema declares string enums (ThresholdsMode,
 * GraphDrawStyle, ...) whose members a type-only import cannot name as values; this maps each to
 * the union of its strings ('absolute' | 'percentage'), so a misspelt value still fails to compile.
 */
export type Plain<T> = T extends string
  ? `${T}`
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;

/**
 * A link in a panel's header. Grafana reads and saves panel links as data links, as the v2 dashboard
 * schema types them; the v1 schema's Panel types them as dashboard links (tags, asDropdown, ...).
 */
export type PanelLink = DataLink;

/** A query of the Prometheus data source (its type lives in Grafana's Prometheus package, not the schema). */
export interface PrometheusQuery extends DataQuery {
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
}

/** A PG Governor panel query: what POST /api/v1/query takes (the contract), as the plugin forwards it. */
export type BackendQuery = TimeSeriesQuery | TableQuery;

/** A template variable's query of the PG Governor data source (the plugin's variable query editor). */
export interface VariableQuery extends DataQuery {
  variable: VariableName;
  target?: string;
  /** What it lists, in words: the plugin's editor saves it, Grafana shows it as the definition. */
  query?: string;
}

/** An annotation query of the PG Governor data source: events of these kinds on $target. */
export interface EventAnnotationQuery extends DataQuery {
  kinds: AnnotationKind[];
  target: string;
}

export type FieldOverride = FieldConfigSource['overrides'][number];

/** Field defaults with the panel kind's `custom` settings (the schema types them as a record). */
export type FieldDefaults<Custom> = Omit<Plain<FieldConfig>, 'custom'> & { custom?: Plain<Custom> };

/** A panel of one kind, without its id and grid position (the layout adds them). */
interface PanelBodyOf<Type extends string, Options, Custom, Query extends DataQuery> extends Omit<
  Plain<Panel>,
  'type' | 'options' | 'targets' | 'links' | 'fieldConfig' | 'id' | 'gridPos'
> {
  type: Type;
  targets: Query[];
  fieldConfig: { defaults: FieldDefaults<Custom>; overrides: FieldOverride[] };
  options: Plain<Options>;
  links: PanelLink[];
}

export type TimeSeriesPanel<Query extends DataQuery> = PanelBodyOf<
  'timeseries',
  TimeSeriesPanelOptions,
  GraphFieldConfig,
  Query
>;
export type StatPanel<Query extends DataQuery> = PanelBodyOf<'stat', StatPanelOptions, never, Query>;
export type TablePanel = PanelBodyOf<'table', TablePanelOptions, TableFieldOptions, TableQuery>;

/** Every panel the dashboards hold, before layout. */
export type PanelBody =
  | TimeSeriesPanel<BackendQuery>
  | StatPanel<BackendQuery>
  | TimeSeriesPanel<PrometheusQuery>
  | StatPanel<PrometheusQuery>
  | TablePanel;

export type DashboardPanel = PanelBody & Required<Pick<Panel, 'id' | 'gridPos'>>;

/**
 * A template variable: the schema's VariableModel with our variable query (the schema's record type
 * takes no interface), and `definition`, the query as text that Grafana's variable list shows, which
 * Grafana 12.3 saves as the v2 schema's QueryVariableSpec has it (the v1 VariableModel lacks it).
 */
export interface DashboardVariable
  extends Omit<Plain<VariableModel>, 'query'>, Pick<QueryVariableSpec, 'definition'> {
  query?: string | VariableQuery;
}
export type DashboardAnnotation = Plain<AnnotationQuery<EventAnnotationQuery>>;

/** A dashboard as the provisioned files hold it. */
export interface DashboardJson extends Omit<Plain<Dashboard>, 'panels' | 'annotations' | 'templating'> {
  annotations: { list: DashboardAnnotation[] };
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
}

/**
 * An importable dashboard (Grafana's export "for sharing externally"): the import inputs that
 * Grafana substitutes, and what the dashboard requires. Export-only fields the schema lacks.
 */
export interface ImportableDashboardJson extends DashboardJson {
  __inputs: DashboardInput[];
  __requires: DashboardRequirement[];
}

export interface DashboardInput {
  name: string;
  label: string;
  description: string;
  type: 'datasource';
  pluginId: string;
  pluginName: string;
}

export interface DashboardRequirement {
  type: 'grafana' | 'datasource' | 'panel';
  id: string;
  name: string;
  version: string;
}
