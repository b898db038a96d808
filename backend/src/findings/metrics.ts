import { Counter, Gauge, Registry } from 'prom-client';
import { FindingRecord } from './types';

/**
 * The findings engine's metrics: open findings by target, kind and severity (computed at scrape
 * time from what the engine holds), and checks that threw.
 */
export function registerFindingsMetrics(
  registry: Registry,
  open: () => readonly FindingRecord[],
): { checkErrors: Counter<'kind'> } {
  new Gauge({
    name: 'pgg_findings_open',
    help: 'Open findings by target, kind and severity (GET /api/v1/findings lists them)',
    labelNames: ['target', 'kind', 'severity'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of open()) this.inc({ target: r.target, kind: r.kind, severity: r.severity });
    },
  });
  return {
    checkErrors: new Counter({
      name: 'pgg_finding_check_errors_total',
      help: 'Finding checks that threw (the kind is then reported failed, its findings kept as they were)',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}
