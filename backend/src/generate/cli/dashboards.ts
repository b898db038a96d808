import path from 'node:path';
import { parseArgs } from 'node:util';
import { dashboardFiles } from '../dashboards';
import { writeGeneratedFiles } from '../generated-files';

const USAGE = `Usage: node backend/dist/generate/cli/dashboards.js [--check] [--out <dir>]

Writes the dashboards (dashboards/*.json, importable; provisioning/dashboards/*.json, provisioned
with fixed data-source uids) and the dashboard file provider from backend/src/generate/dashboards.

  --out <dir>   where to write (default: the repository root)
  --check       write nothing; exit 1 if a file differs from what would be generated`;

/** backend/dist/generate/cli -> the repository root. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function main(): number {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const out = path.resolve(values.out ?? REPO_ROOT);
  const stale = writeGeneratedFiles(dashboardFiles(), out, {
    check: values.check,
    command: 'npm run dashboards:generate',
  });
  return stale > 0 ? 1 : 0;
}

process.exitCode = main();
