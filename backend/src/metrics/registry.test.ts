import { TargetStatus } from '../db/target-monitor';
import { createMetrics } from './registry';

const SINCE = '2026-01-01T00:00:00.000Z';

function status(name: string, overrides: Partial<TargetStatus> = {}): TargetStatus {
  return { name, state: 'up', since: SINCE, consecutiveFailures: 0, ...overrides };
}

/** Value of one series in the registry's exposition, by metric and labels (undefined: absent). */
async function seriesValue(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { labels: Record<string, string | number>; value: number }[];
  const matching = values.filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  if (matching.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)} matches ${matching.length} series`);
  return matching[0]?.value;
}

describe('self-metrics registry', () => {
  let targets: TargetStatus[];
  let memory: { limitBytes: number; underPressure: boolean };
  let metrics: ReturnType<typeof createMetrics>;

  beforeEach(() => {
    targets = [];
    memory = { limitBytes: 512 * 1024 * 1024, underPressure: false };
    metrics = createMetrics({ version: '9.9.9', targets: () => targets, memory: () => memory });
  });

  it('is a registry of its own, so that two services in one process do not collide', () => {
    const other = createMetrics({ version: '1', targets: () => [], memory: () => memory });
    expect(other.registry).not.toBe(metrics.registry);
  });

  it('reports the build with its version and Node runtime', async () => {
    expect(await seriesValue(metrics, 'pgg_build_info', { version: '9.9.9', nodejs: process.version })).toBe(
      1,
    );
  });

  it('reads the targets at scrape time: up, state, failures and major version', async () => {
    targets = [
      status('alpha', {
        server: { major: 16 } as TargetStatus['server'],
      }),
      status('beta', { state: 'down', consecutiveFailures: 4, reason: 'connection refused' }),
    ];
    expect(await seriesValue(metrics, 'pgg_target_up', { target: 'alpha' })).toBe(1);
    expect(await seriesValue(metrics, 'pgg_target_up', { target: 'beta' })).toBe(0);
    expect(await seriesValue(metrics, 'pgg_target_state', { target: 'beta', state: 'down' })).toBe(1);
    expect(await seriesValue(metrics, 'pgg_target_state', { target: 'beta', state: 'up' })).toBe(0);
    expect(await seriesValue(metrics, 'pgg_target_consecutive_failures', { target: 'beta' })).toBe(4);
    expect(await seriesValue(metrics, 'pgg_target_server_major_version', { target: 'alpha' })).toBe(16);
    expect(await seriesValue(metrics, 'pgg_target_server_major_version', { target: 'beta' })).toBeUndefined();
  });

  it('drops the series of a target that is gone at the next scrape', async () => {
    targets = [status('alpha'), status('beta')];
    expect(await seriesValue(metrics, 'pgg_target_up', { target: 'beta' })).toBe(1);
    targets = [status('alpha')];
    expect(await seriesValue(metrics, 'pgg_target_up', { target: 'beta' })).toBeUndefined();
    expect(await seriesValue(metrics, 'pgg_target_state', { target: 'beta', state: 'up' })).toBeUndefined();
  });

  it('reports the memory ceiling and pressure as they are at scrape time', async () => {
    expect(await seriesValue(metrics, 'pgg_memory_limit_bytes')).toBe(512 * 1024 * 1024);
    expect(await seriesValue(metrics, 'pgg_memory_pressure')).toBe(0);
    memory = { limitBytes: 256 * 1024 * 1024, underPressure: true };
    expect(await seriesValue(metrics, 'pgg_memory_limit_bytes')).toBe(256 * 1024 * 1024);
    expect(await seriesValue(metrics, 'pgg_memory_pressure')).toBe(1);
  });

  it('counts target checks by result', async () => {
    metrics.targetChecks.inc({ target: 'alpha', result: 'ok' });
    metrics.targetChecks.inc({ target: 'alpha', result: 'ok' });
    metrics.targetChecks.inc({ target: 'alpha', result: 'error' });
    expect(await seriesValue(metrics, 'pgg_target_checks_total', { target: 'alpha', result: 'ok' })).toBe(2);
    expect(await seriesValue(metrics, 'pgg_target_checks_total', { target: 'alpha', result: 'error' })).toBe(
      1,
    );
  });

  it('labels nothing with a reason, a user or a pid', async () => {
    targets = [status('alpha', { state: 'refused', reason: 'role "bob" may write (pid 42)' })];
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('bob');
    expect(text).not.toMatch(/pid/);
  });
});
