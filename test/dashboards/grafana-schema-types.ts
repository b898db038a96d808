import type {
  AnnotationQuery,
  Dashboard,
  DataQuery,
  FieldConfig,
  FieldConfigSource,
  Panel,
  RowPanel,
  VariableModel,
} from '@grafana/schema';
import type {
  DataLink,
  QueryVariableSpec,
} from '@grafana/schema/dist/types/schema/dashboard/v2beta1/types.spec.gen';
import type { Plain } from '../../backend/src/generate/dashboards/grafana-types';

/**
 * What a dashboard file is checked against: Grafana 12.3's dashboard JSON model as @grafana/schema
 * types it, each panel against its panel plugin's own options and field config from the same package
 * (schema-check.ts writes the checks). Plain<T> only lets the JSON hold a string enum's strings.
 *
 * The allow-list, where Grafana 12.3 itself writes what the v1 model types otherwise (each marked
 * ALLOWED below, the reason beside it):
 * - a panel's `links` are data links (title, url, targetBlank), not dashboard links;
 * - a query variable's `definition`;
 * - an annotation's query target holds its data source's fields;
 * - an importable dashboard's `__inputs`, `__requires` and `__elements`.
 */

/**
 * ALLOWED: Grafana reads and saves panel links as data links (@grafana/data's DataLink; the v2
 * schema's DataLink); the v1 schema copies the dashboard link type (tags, asDropdown, ...) there.
 */
type PanelLinks = { links?: DataLink[] };

/** A panel of one kind: the schema's Panel with its plugin's Options and field config `custom`. */
export type SchemaPanel<Options, Custom> = Plain<Omit<Panel, 'options' | 'fieldConfig' | 'links'>> &
  PanelLinks & {
    options?: Plain<Options>;
    fieldConfig?: {
      defaults: Plain<Omit<FieldConfig, 'custom'>> & { custom?: Plain<Custom> };
      overrides: Plain<FieldConfigSource['overrides']>;
    };
  };

/** A row; its panels are checked one by one, as the dashboard's. */
export type SchemaRowPanel = Plain<Omit<RowPanel, 'panels'>> & { panels: unknown[] };

/**
 * ALLOWED: `definition`, the query as text that Grafana's variable list shows, is written by Grafana
 * 12.3 for query variables (and is in the v2 schema's QueryVariableSpec), not in the v1 VariableModel.
 */
export type SchemaVariable = Plain<VariableModel> & Pick<QueryVariableSpec, 'definition'>;

/**
 * ALLOWED: the schema types an annotation's `target` as the bare DataQuery (refId, hide, ...): the
 * query of the annotation's data source, whose own fields the schema cannot know.
 */
export type SchemaAnnotation = Plain<Omit<AnnotationQuery, 'target'>> & {
  target?: DataQuery & Record<string, unknown>;
};

/**
 * ALLOWED: Grafana's export for sharing externally adds `__inputs` (what the import asks for),
 * `__requires` and `__elements` (library panels) around the dashboard model; import consumes them.
 */
type ExportFields = { __inputs?: unknown[]; __requires?: unknown[]; __elements?: unknown };

/** The dashboard; its panels are checked one by one against their kinds. */
export type SchemaDashboard = Plain<Omit<Dashboard, 'panels' | 'templating' | 'annotations'>> &
  ExportFields & {
    panels?: unknown[];
    templating?: { list?: SchemaVariable[] };
    annotations?: { list?: SchemaAnnotation[] };
  };
