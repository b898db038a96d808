import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load';
import { alertConfigProblems } from '../../alerts/config-problems';
import { CONFIGURABLE_ALERTS } from '../../catalog/alerts';
import {
  DEFAULT_BACKEND_URL,
  DEFAULT_GRAFANA_URL,
  DEFAULT_PROMETHEUS_JOB,
  DEFAULT_PROMETHEUS_URL,
  DEFAULT_RUNBOOKS_URL,
  generateFiles,
} from '../alerts/files';
import { writeGeneratedFiles } from '../generated-files';

const USAGE = `Usage: node backend/dist/generate/cli/alerts.js [options]

Writes the Prometheus rules (and their promtool tests), the Grafana alert rules and contact points,
the compose stack's notification policies, the Prometheus data source and docs/runbooks from the
alert catalog.

  --config <file>          thresholds, links and the job from this configuration file (and PGG_*
                           variables); default: the catalog's defaults (what the repository ships)
  --out <dir>              where to write (default: the repository root)
  --prometheus-url <url>   Prometheus as Grafana reaches it (default ${DEFAULT_PROMETHEUS_URL})
  --backend-url <url>      the backend as Grafana and Prometheus reach it (default ${DEFAULT_BACKEND_URL})
  --grafana-url <url>      Grafana as people open it, for the links in notifications
                           (alerts.grafana_url; default ${DEFAULT_GRAFANA_URL})
  --runbooks-url <url>     where docs/runbooks is published (alerts.runbooks_url;
                           default ${DEFAULT_RUNBOOKS_URL})
  --prometheus-job <name>  the job that scrapes the backend, watched by the dead-man's rule
                           (alerts.prometheus_job; default ${DEFAULT_PROMETHEUS_JOB})
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
      'grafana-url': { type: 'string' },
      'runbooks-url': { type: 'string' },
      'prometheus-job': { type: 'string' },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const fromConfig = values.config !== undefined;
  const alerts = fromConfig
    ? loadConfig({ file: values.config, alertKinds: CONFIGURABLE_ALERTS }).config.alerts
    : undefined;
  if (alerts) {
    const problems = alertConfigProblems(alerts);
    for (const p of problems) console.error(`${p.path}: ${p.message}`);
    if (problems.length > 0) return 2;
  }
  const out = path.resolve(values.out ?? REPO_ROOT);
  const files = await generateFiles({
    overrides: alerts?.rules ?? {},
    prometheusUrl: values['prometheus-url'] ?? DEFAULT_PROMETHEUS_URL,
    backendUrl: values['backend-url'] ?? DEFAULT_BACKEND_URL,
    grafanaUrl: values['grafana-url'] ?? alerts?.grafana_url ?? DEFAULT_GRAFANA_URL,
    runbooksUrl: values['runbooks-url'] ?? alerts?.runbooks_url ?? DEFAULT_RUNBOOKS_URL,
    prometheusJob: values['prometheus-job'] ?? alerts?.prometheus_job ?? DEFAULT_PROMETHEUS_JOB,
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
