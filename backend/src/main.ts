import { parseArgs } from 'node:util';
import pino from 'pino';
import { stringify } from 'yaml';
import { alertConfigProblems } from './alerts/config-problems';
import { Service } from './app';
import { CONFIGURABLE_ALERTS } from './catalog/alerts';
import { FINDING_KINDS } from './catalog/findings';
import { ConfigError } from './config/errors';
import { loadConfig } from './config/load';
import { maskConfig } from './config/mask';
import { exitOnSignals } from './lifecycle/shutdown';
import { reloadOnHangup } from './lifecycle/reload-signal';
import { offsetWallClock } from './lib/clock-offset';
import { testClockOffsetMs } from './config/test-faults';
import { VERSION } from './version';

const USAGE = `Usage: pg-governor [--config FILE]
       pg-governor --validate-config FILE
       pg-governor --version

Starts the PG Governor backend. Without a configured target it starts a demo: an embedded
PostgreSQL with a synthetic workload, monitored by the backend. Configuration: a YAML file
(--config or PGG_CONFIG) and PGG_* environment variables (env wins); see README.md.`;

interface Command {
  kind: 'run' | 'validate' | 'version' | 'help';
  file?: string;
}

/** The command line; throws with a message for the user on anything it does not know. */
function parseCommand(args: string[]): Command {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      'validate-config': { type: 'string' },
      version: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const given = Object.keys(values);
  for (const flag of ['config', 'validate-config'] as const)
    if (values[flag] === '') throw new Error(`--${flag} needs a file`);
  if (given.length > 1) throw new Error(`use one of --${given.join(', --')}, not several`);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (values['validate-config'] !== undefined) return { kind: 'validate', file: values['validate-config'] };
  return values.config !== undefined ? { kind: 'run', file: values.config } : { kind: 'run' };
}

function printProblems(error: ConfigError): void {
  for (const p of error.problems) process.stderr.write(`error: ${p.path}: ${p.message}\n`);
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.kind === 'help') return (process.stdout.write(`${USAGE}\n`), 0);
  if (command.kind === 'version') return (process.stdout.write(`${VERSION}\n`), 0);

  let loaded;
  try {
    loaded = loadConfig({
      ...(command.file ? { file: command.file } : {}),
      alertKinds: CONFIGURABLE_ALERTS,
      findingKinds: FINDING_KINDS,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printProblems(error);
    return 1;
  }
  // What the schema cannot say (threshold order, a notifier enabled without its key): refused at
  // start and by --validate-config alike, not discovered when the first page fails.
  const alertProblems = alertConfigProblems(loaded.config.alerts);
  if (alertProblems.length > 0) {
    printProblems(new ConfigError(alertProblems));
    return 1;
  }

  if (command.kind === 'validate') {
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    // At start a bad file is left out and reported; here it is an error, as a check should say.
    if (loaded.targetFileProblems.length > 0) {
      printProblems(new ConfigError(loaded.targetFileProblems));
      return 1;
    }
    process.stdout.write(stringify(maskConfig(loaded.config)));
    return 0;
  }

  offsetWallClock(testClockOffsetMs());
  const log = pino({ level: loaded.config.log.level, base: { service: 'pg-governor' } });
  for (const w of loaded.warnings) log.warn(w);
  const service = await Service.start(loaded.config, log);
  exitOnSignals(() => service.stop(), loaded.config.shutdown_timeout_ms, log);
  reloadOnHangup(() => service.reloadTargets(), log);
  log.info(
    {
      api: service.url,
      metrics: `${service.url}/metrics`,
      replica: service.fleet.view().replica,
      targets: service.monitors.map((m) => m.name),
    },
    'PG Governor is running',
  );
  process.stdout.write(
    `PG Governor ${VERSION}: health ${service.url}/healthz  readiness ${service.url}/readyz  metrics ${service.url}/metrics\n`,
  );
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`fatal: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
