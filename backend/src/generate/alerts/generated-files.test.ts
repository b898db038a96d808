import path from 'node:path';
import {
  DEFAULT_BACKEND_URL,
  DEFAULT_GRAFANA_URL,
  DEFAULT_PROMETHEUS_JOB,
  DEFAULT_PROMETHEUS_URL,
  DEFAULT_RUNBOOKS_URL,
  generateFiles,
} from './files';
import { staleFiles } from '../generated-files';
import { CONFIGURABLE_ALERTS } from '../../catalog/alerts';
import { FINDING_KINDS } from '../../catalog/findings';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The shipped rule files are generated from the catalog: CI fails when they are stale. */
it('commits the alerting files exactly as npm run alerts:generate writes them', async () => {
  const files = await generateFiles({
    overrides: {},
    prometheusUrl: DEFAULT_PROMETHEUS_URL,
    backendUrl: DEFAULT_BACKEND_URL,
    grafanaUrl: DEFAULT_GRAFANA_URL,
    runbooksUrl: DEFAULT_RUNBOOKS_URL,
    prometheusJob: DEFAULT_PROMETHEUS_JOB,
    strictFixtures: true,
  });
  expect(files.map((f) => f.path).sort()).toEqual(
    [
      'docker/grafana/alerting/policies.yaml',
      'docs/runbooks/README.md',
      ...CONFIGURABLE_ALERTS.map((a) => `docs/runbooks/${a.id}.md`),
      'docs/runbooks/findings/README.md',
      ...FINDING_KINDS.map((k) => `docs/runbooks/findings/${k.id}.md`),
      'prometheus/pg-governor.rules.test.yml',
      'prometheus/pg-governor.rules.yml',
      'prometheus/prometheus.yml',
      'provisioning/alerting/contact-points.yaml',
      'provisioning/alerting/rules.yaml',
      'provisioning/datasources/prometheus.yaml',
    ].sort(),
  );
  const stale = staleFiles(files, REPO_ROOT);
  if (stale.length > 0)
    throw new Error(`stale generated files (run npm run alerts:generate): ${stale.join(', ')}`);
});
