import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidateFunction } from 'ajv';
import { customSqlProblem } from './custom-sql-shape';
import { ConfigError, ConfigProblem } from './errors';
import { ajv, schemaProblems } from './schema-problems';
import { CustomMetricConfig, customMetricsFileSchema } from './schema';
import { parseYaml } from './yaml-text';

type CustomMetricsFile = { custom_metrics: CustomMetricConfig[] };

let validateFile: ValidateFunction<CustomMetricsFile> | undefined;

/**
 * The metrics of one file of custom metrics (an application pack such as
 * examples/packs/task-queue.yaml: `custom_metrics:` with a list, the same keys as in the
 * configuration), validated and with defaults filled in. Problems are named
 * `<at>: custom_metrics[1].sql`, so that the file is found.
 */
export function readCustomMetricsFile(file: string, at: string = file): CustomMetricConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' ? `file not found: ${file}` : `cannot be read: ${code ?? String(error)}`;
    throw new ConfigError([{ path: at, message }]);
  }
  const { value, errors } = parseYaml(text);
  if (errors.length > 0) throw new ConfigError(errors.map((message) => ({ path: at, message })));
  validateFile ??= ajv.compile<CustomMetricsFile>(customMetricsFileSchema);
  if (!validateFile(value)) {
    const problems: ConfigProblem[] =
      value === null || typeof value !== 'object' || Array.isArray(value)
        ? [{ path: at, message: 'expected `custom_metrics:` with a list of custom metrics' }]
        : schemaProblems(validateFile.errors ?? []).map((p) => ({
            path: p.path ? `${at}: ${p.path}` : at,
            message: p.message,
          }));
    throw new ConfigError(problems);
  }
  // Checked again with every metric at load; here so that the problem names the file.
  const sqlProblems = value.custom_metrics.flatMap((metric, i) => {
    const message = customSqlProblem(metric.sql);
    return message ? [{ path: `${at}: custom_metrics[${i}].sql`, message }] : [];
  });
  if (sqlProblems.length > 0) throw new ConfigError(sqlProblems);
  return value.custom_metrics;
}

/**
 * The metrics of custom_metrics_files, in order; relative paths are taken from the configuration
 * file's folder (the working directory without one). Every file's problems at once.
 */
export function readCustomMetricsFiles(
  files: string[],
  configFile: string | undefined,
): CustomMetricConfig[] {
  const base = configFile ? path.dirname(path.resolve(configFile)) : process.cwd();
  const metrics: CustomMetricConfig[] = [];
  const problems: ConfigProblem[] = [];
  files.forEach((file, i) => {
    try {
      metrics.push(...readCustomMetricsFile(path.resolve(base, file), `custom_metrics_files[${i}] ${file}`));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return metrics;
}
