import path from 'node:path';
import { DEFAULT_BACKEND_URL, DEFAULT_PROMETHEUS_URL, generateFiles } from './files';
import { staleFiles } from '../generated-files';
import { effectiveRules } from '../../alerts/rules';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The shipped rule files are generated from the catalog: CI fails when they are stale. */
it('commits the alerting files exactly as npm run alerts:generate writes them', async () => {
  const files = await generateFiles({
    rules: effectiveRules(),
    prometheusUrl: DEFAULT_PROMETHEUS_URL,
    backendUrl: DEFAULT_BACKEND_URL,
    strictFixtures: true,
  });
  expect(files.map((f) => f.path).sort()).toEqual([
    'prometheus/pg-governor.rules.test.yml',
    'prometheus/pg-governor.rules.yml',
    'prometheus/prometheus.yml',
    'provisioning/alerting/contact-points.yaml',
    'provisioning/alerting/policies.yaml',
    'provisioning/alerting/rules.yaml',
    'provisioning/datasources/prometheus.yaml',
  ]);
  const stale = staleFiles(files, REPO_ROOT);
  if (stale.length > 0)
    throw new Error(`stale generated files (run npm run alerts:generate): ${stale.join(', ')}`);
});
