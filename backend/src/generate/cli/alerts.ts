import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load';
import { alertConfigProblems } from '../../alerts/config-problems';
import { ALERT_CATALOG } from '../../catalog/alerts';
import { DEFAULT_BACKEND_URL, DEFAULT_PROMETHEUS_URL, generateFiles } from '../alerts/files';
import { writeGeneratedFiles } from '../generated-files';
import { effectiveRules } from '../../alerts/rules';

const USAGE = `Usage: node backend/dist/generate/cli/alerts.js [options]

Writes the Prometheus rules (and their promtool tests), the Grafana alert rules, contact points,
notification policies and Prometheus data source from the alert catalog.

  --config <file>          thresholds from this configuration file (and PGG_* variables);
                           default: the catalog's defaults (what the repository ships)
  --out <dir>              where to write (default: the repository root)
  --prometheus-url <url>   Prometheus as Grafana reaches it (default ${DEFAULT_PROMETHEUS_URL})
  --backend-url <url>      the backend as Grafana and Prometheus reach it (default ${DEFAULT_BACKEND_URL})
  --check                  write nothing; exit 1 if a file differs from what would be generated`;

/** backend/dist/generate/cli -> the repository root. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      'prometheus-url': { type: 'string' },
      'backend-url': { type: 'string' },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const fromConfig = values.config !== undefined;
  const overrides = fromConfig
    ? loadConfig({ file: values.config, alertKinds: ALERT_CATALOG }).config.alerts
    : undefined;
  if (overrides) {
    const problems = alertConfigProblems(overrides);
    for (const p of problems) console.error(`${p.path}: ${p.message}`);
    if (problems.length > 0) return 2;
  }
  const out = path.resolve(values.out ?? REPO_ROOT);
  const files = await generateFiles({
    rules: effectiveRules(overrides?.rules ?? {}),
    prometheusUrl: values['prometheus-url'] ?? DEFAULT_PROMETHEUS_URL,
    backendUrl: values['backend-url'] ?? DEFAULT_BACKEND_URL,
    strictFixtures: !fromConfig,
    onDroppedFixture: (message) => console.error(`rule test left out: ${message}`),
  });
  const stale = writeGeneratedFiles(files, out, { check: values.check, command: 'npm run alerts:generate' });
  return stale > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
