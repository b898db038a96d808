import { importable, provisioned } from './dashboard-files';
import { schemaDiagnostics, SchemaDiagnostic } from './schema-check';

/**
 * The shipped dashboards type-check against Grafana 12.3's dashboard JSON model in @grafana/schema
 * (the version Grafana 12.3 ships), each panel against its panel plugin's options and field config;
 * grafana-schema-types.ts lists the few places where Grafana itself writes what the schema types
 * otherwise.
 */

const files = [...importable(), ...provisioned()].map(({ file, json }) => ({ file, json }));

/** A copy of a shipped dashboard with misspelt enum values, an unknown field and a wrong type. */
function doctored(): { file: string; json: unknown } {
  const json = structuredClone(provisioned()[0]?.json) as {
    graphTooltip: unknown;
    panels: { fieldConfig: { defaults: { thresholds: { mode: string } } }; options: object }[];
    templating: { list: object[] };
  };
  const panel = json.panels[0];
  if (!panel) throw new Error('no panel to doctor');
  panel.fieldConfig.defaults.thresholds.mode = 'absolut';
  panel.options = { ...panel.options, legendd: true };
  json.templating.list[0] = { ...json.templating.list[0], refresh: 'often' };
  json.graphTooltip = 'shared';
  return { file: 'doctored.json', json };
}

const format = (d: SchemaDiagnostic) => `${d.file} ${d.path}: ${d.message}`;

describe('dashboard files against @grafana/schema 12.3', () => {
  let diagnostics: SchemaDiagnostic[];
  beforeAll(() => {
    diagnostics = schemaDiagnostics([...files, doctored()]);
  });

  it('type-check with zero errors', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(diagnostics.filter((d) => d.file !== 'doctored.json').map(format)).toEqual([]);
  });

  it('report each error with its file and JSON path', () => {
    const paths = diagnostics.filter((d) => d.file === 'doctored.json').map((d) => d.path);
    expect(paths.sort()).toEqual([
      '$.graphTooltip',
      '$.panels[0].fieldConfig.defaults.thresholds.mode',
      '$.panels[0].options.legendd',
      '$.templating.list[0].refresh',
    ]);
  });
});
