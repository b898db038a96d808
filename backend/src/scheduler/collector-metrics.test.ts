import { Registry } from 'prom-client';
import { createCollectorMetrics } from './collector-metrics';

describe('collector metrics', () => {
  it('keep the duration distribution per collector and the last duration per target and collector', async () => {
    const registry = new Registry();
    const metrics = createCollectorMetrics(registry);
    for (const target of ['a', 'b']) metrics.duration.startTimer({ target, collector: 'activity' })();
    const text = await registry.metrics();
    expect(text).toMatch(/^pgg_collector_duration_seconds_count\{collector="activity"\} 2$/m);
    expect(text).not.toMatch(/^pgg_collector_duration_seconds_bucket\{[^}]*target=/m);
    for (const target of ['a', 'b'])
      expect(text).toMatch(
        new RegExp(
          `^pgg_collector_last_duration_seconds\\{target="${target}",collector="activity"\\} [0-9.e-]+$`,
          'm',
        ),
      );
  });
});
