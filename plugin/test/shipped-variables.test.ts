/**
 * @jest-environment node
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeVariableQuery } from '../src/variable-description';
import { PgGovernorVariableQuery } from '../src/types';

/**
 * The shipped dashboards' variables as the plugin's variable editor would save them: opening the
 * editor on one must change nothing (else Grafana marks the dashboard as modified), and the
 * definition Grafana lists is the editor's description.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const FOLDERS = ['dashboards', 'provisioning/dashboards'];

interface DashboardVariable {
  name: string;
  type: string;
  datasource?: { type?: string };
  query?: PgGovernorVariableQuery;
  definition?: string;
}

const pluginVariables = FOLDERS.flatMap((folder) =>
  readdirSync(path.join(ROOT, folder))
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const dashboard = JSON.parse(readFileSync(path.join(ROOT, folder, file), 'utf8')) as {
        templating: { list: DashboardVariable[] };
      };
      return dashboard.templating.list
        .filter((v) => v.type === 'query' && v.datasource?.type === 'pggovernor-postgres-datasource')
        .map((v) => ({ where: `${folder}/${file} $${v.name}`, variable: v }));
    }),
);

it('finds the data source variables of every shipped dashboard', () => {
  expect(pluginVariables.length).toBeGreaterThanOrEqual(16);
});

it.each(pluginVariables)('$where is saved as the editor saves it', ({ variable }) => {
  const query = variable.query as PgGovernorVariableQuery;
  expect(query.query).toBe(describeVariableQuery(query));
  expect(variable.definition).toBe(query.query);
});
