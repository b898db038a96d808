import { FixtureCase, FixtureContext, ScrapeAlertDefinition } from './types';
import { sql } from './helpers';

const INSTANCE = 'backend:8765';

/** promtool cases: every way the backend can go silent fires after `for`; a healthy scrape never does. */
function deadManCases(job: string, { levels }: FixtureContext): FixtureCase[] {
  const forMinutes = Math.ceil((levels.critical?.for_s ?? 0) / 60);
  const minutes = forMinutes + 3;
  const series = (metric: string, labels: Record<string, string>, value: number) => ({
    metric,
    labels,
    segments: [{ value, count: minutes + 1 }],
  });
  const target = { job, instance: INSTANCE };
  const fires = [
    ...(forMinutes > 0 ? [{ atMinute: forMinutes - 1, firing: [] }] : []),
    { atMinute: forMinutes, firing: ['critical' as const] },
  ];
  return [
    {
      name: 'scraped, with its own series',
      instance: target,
      series: [
        series('up', target, 1),
        series('pgg_build_info', { ...target, version: '0.1.0', nodejs: 'v20.0.0' }, 1),
      ],
      checks: [{ atMinute: minutes, firing: [] }],
    },
    {
      name: 'the scrape fails (the backend is down)',
      instance: target,
      series: [series('up', target, 0)],
      checks: fires,
    },
    {
      name: 'the scrape answers without PG Governor series (something else on the port)',
      instance: target,
      series: [series('up', target, 1)],
      checks: fires,
    },
    {
      name: 'the job has no target left (every replica gone from service discovery)',
      instance: { job },
      series: [series('up', { job: 'prometheus', instance: 'localhost:9090' }, 1)],
      checks: fires,
    },
  ];
}

/**
 * The dead-man's switch. When the backend dies its series go stale: every other rule then sees
 * nothing and stays quiet (PgTargetDown resolves), and the backend's own engine dies with it.
 */
export const BACKEND_DOWN: ScrapeAlertDefinition = {
  id: 'backend_down',
  name: 'PgGovernorBackendDown',
  category: 'self-monitoring',
  component: 'pg-governor',
  summary: 'Prometheus gets no PG Governor metrics from job {{label.job}}: nobody watches the fleet',
  description:
    'The scrape of {{label.job}} {{label.instance}} fails, answers without PG Governor series, or the job has no target at all. Every other PG Governor alert is blind meanwhile (its series vanish), and the backend cannot alert about itself.',
  runbook: {
    meaning:
      'No PG Governor backend is watching (this instance of) the fleet: no collection, no governor, no history, and none of the other alerts can fire until it is back.',
    checks: [
      {
        what: 'Is the process alive? `docker compose ps backend`, `kubectl -n pg-governor get pods -l app.kubernetes.io/name=pg-governor`, or the service manager; its last log lines say why it stopped (an exit above memory.limit_mb is logged before it exits).',
      },
      {
        what: "Does it answer where Prometheus scrapes it? `curl http://<backend>:8765/healthz` and `/metrics` (with auth.protect_metrics, the scrape needs a read token); Prometheus' targets page (Status > Targets) shows the scrape error.",
      },
      {
        what: 'Once it answers: GET /readyz names each target and its state; recent events in the history store show that it writes again.',
        on: 'store',
        sql: sql`
          SELECT kind, count(*) AS events, max(ts) AS last
          FROM events
          WHERE ts > now() - interval '1 hour'
          GROUP BY kind
          ORDER BY last DESC;`,
      },
    ],
    remediation: [
      'Restart it (`docker compose up -d backend`, `kubectl rollout restart`, `systemctl restart`): it resumes from its configuration and history store, and the governor starts in its configured mode.',
      'A restart loop on memory: raise memory.limit_mb or split the targets over more replicas.',
      'If Prometheus lost the job (service discovery, a relabelling change), restore the scrape configuration: prometheus/prometheus.yml shows the job this alert watches.',
    ],
  },
  unit: 'count',
  comparator: '<',
  levels: { critical: { threshold: 1, for_s: 60 } },
  instanceLabels: ['job', 'instance'],
  noData: {
    state: 'Alerting',
    why: 'Not knowing is the alert: the expression returns a series even when the job has no target (absent), so an empty result or a query error means Prometheus itself is not answering.',
  },
  // 1 while an instance is scraped and exports pgg_build_info (every backend does); 0 for an
  // instance whose scrape fails or lacks it; 0 for the job when Prometheus has no target for it.
  promql: (job) => {
    const selector = (metric: string) => `${metric}{job=${JSON.stringify(job)}}`;
    return [
      `((${selector('up')} unless on (job, instance) ${selector('pgg_build_info')}) * 0)`,
      selector('up'),
      `(absent(${selector('up')}) - 1)`,
    ].join(' or ');
  },
  shownBy: ['pgg_target_up'],
  cases: deadManCases,
};

export const SCRAPE_ALERTS: readonly ScrapeAlertDefinition[] = [BACKEND_DOWN];
