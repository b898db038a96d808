import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { forgetTarget } from './forget-target';

it("drops a target's series from every metric labelled by target, and nothing else", async () => {
  const registry = new Registry();
  const registers = [registry];
  const gauge = new Gauge({ name: 'g', help: 'g', labelNames: ['target', 'loop'], registers });
  const counter = new Counter({ name: 'c', help: 'c', labelNames: ['target'], registers });
  const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['target'], buckets: [1], registers });
  const plain = new Gauge({ name: 'p', help: 'p', registers });
  gauge.set({ target: 'a', loop: 'hot' }, 1);
  gauge.set({ target: 'a', loop: 'storage' }, 1);
  gauge.set({ target: 'b', loop: 'hot' }, 1);
  counter.inc({ target: 'a' });
  histogram.observe({ target: 'a' }, 0.5);
  histogram.observe({ target: 'b' }, 0.5);
  plain.set(3);

  await forgetTarget(registry, 'a');
  const text = await registry.metrics();
  expect(text).not.toMatch(/target="a"/);
  expect(text).toMatch(/g\{target="b",loop="hot"\} 1/);
  expect(text).toMatch(/h_count\{target="b"\} 1/);
  expect(text).toMatch(/^p 3$/m);
});
