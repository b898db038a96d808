import { chmodSync, rmSync } from 'node:fs';
import pino from 'pino';
import { Service } from '../../backend/src/app';
import { loadConfig } from '../../backend/src/config/load';
import { eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';
import { createDataDir } from '../support/scratch-dir';

/**
 * POST /api/v1/alerts/webhook through the real service (its embedded history store, its API with
 * tokens): Grafana's webhook contact-point payload, as Grafana 10-12 sends it, becomes one stored
 * event per alert, visible in GET /api/v1/annotations; a malformed payload is a 400 naming the field
 * and stores nothing; only an admin token may post.
 */
const READ = 'read-token-0123456789abcdef';
const ADMIN = 'admin-token-0123456789abcdef';
const MONITOR_PASSWORD = 'monitor-pw-123';

interface Annotation {
  time: number;
  title: string;
  text: string;
  tags: string[];
}

/** A firing notification of the shipped rule pgg-connection-saturation-warn, as Grafana posts it. */
function grafanaPayload(startsAt: string, overrides: { status?: string; endsAt?: string } = {}) {
  const status = overrides.status ?? 'firing';
  const labels = {
    alertname: 'PgConnectionSaturation warning',
    category: 'connections',
    component: 'postgresql',
    grafana_folder: 'PG Governor',
    pgg_alert: 'connection_saturation',
    severity: 'warning',
    target: 'main',
  };
  const annotations = {
    summary: 'Connections on main at 83.3% of the usable maximum',
    description: 'Client backends use 83.3% of the connections ordinary roles may open (threshold 80%).',
    runbook: 'Who holds the connections: the sessions table by application and state.',
    dashboard: '/d/pgg-fleet?var-target=main',
  };
  return {
    receiver: 'PG Governor - backend annotations',
    status,
    orgId: 1,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt,
        endsAt: overrides.endsAt ?? '0001-01-01T00:00:00Z',
        generatorURL: 'http://grafana:3000/alerting/grafana/pgg-connection-saturation-warn/view?orgId=1',
        fingerprint: '57c6d9296de2ad39',
        silenceURL: 'http://grafana:3000/alerting/silence/new?alertmanager=grafana&matcher=target%3Dmain',
        dashboardURL: '',
        panelURL: '',
        values: { B: 0.8333, C: 1 },
        valueString:
          "[ var='B' labels={target=main} value=0.8333 ], [ var='C' labels={target=main} value=1 ]",
      },
    ],
    groupLabels: { alertname: labels.alertname, target: 'main' },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: 'http://grafana:3000/',
    version: '1',
    groupKey: '{}/{pgg_alert=~".+"}:{alertname="PgConnectionSaturation warning", target="main"}',
    truncatedAlerts: 0,
    title: `[${status.toUpperCase()}:1] PgConnectionSaturation warning (main)`,
    state: status === 'firing' ? 'alerting' : 'ok',
    message: `**${status}**\n\nValue: B=0.8333, C=1\nLabels:\n - alertname = PgConnectionSaturation warning\n`,
  };
}

describe('POST /api/v1/alerts/webhook (Grafana webhook contact point) through the service', () => {
  let pg: TestPostgres;
  let service: Service | undefined;
  let dataDir: string;
  let base: string;

  const post = async (body: unknown, token = ADMIN) => {
    const response = await fetch(`${base}/api/v1/alerts/webhook`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const grafanaAnnotations = async (): Promise<Annotation[]> => {
    const from = Date.now() - 3_600_000;
    const response = await fetch(
      `${base}/api/v1/annotations?from=${from}&to=${Date.now() + 60_000}&kind=grafana_alert`,
      { headers: { authorization: `Bearer ${READ}` } },
    );
    expect(response.status).toBe(200);
    return (await response.json()) as Annotation[];
  };

  beforeAll(async () => {
    pg = await startPostgres();
    await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
    dataDir = createDataDir();
    // Traversable: as root, the embedded store runs as `nobody` in a folder below it.
    chmodSync(dataDir, 0o755);
    const { config } = loadConfig({
      env: {
        PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD),
        PGG_DATA_DIR: dataDir,
        PGG_HTTP_HOST: '127.0.0.1',
        PGG_HTTP_PORT: '0',
        PGG_READ_TOKENS: READ,
        PGG_ADMIN_TOKENS: ADMIN,
        PGG_STORE__FLUSH_INTERVAL_MS: '100',
        // In-process the RSS is jest's (hundreds of MB), not the service's: no load shedding.
        PGG_MEMORY_LIMIT_MB: '65536',
      },
    });
    // Nor, past the limit, an exit: that SIGTERM would be jest's.
    service = await Service.start(config, pino({ level: 'silent' }), { onMemoryExceeded: () => undefined });
    base = service.url;
  });

  afterAll(async () => {
    await service?.stop();
    await pg?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a firing alert as an event that GET /api/v1/annotations shows', async () => {
    const startsAt = new Date(Date.now() - 120_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const response = await post(grafanaPayload(startsAt));
    expect(response).toEqual({ status: 202, body: { stored: 1 } });
    const annotation = await eventually(
      async () =>
        (await grafanaAnnotations()).find((a) => a.title === 'PgConnectionSaturation warning firing'),
      15_000,
      'the webhook alert among the annotations',
    );
    expect(annotation.time).toBe(Date.parse(startsAt));
    expect(annotation.text).toBe('Connections on main at 83.3% of the usable maximum');
    expect(annotation.tags).toEqual(
      expect.arrayContaining(['grafana', 'firing', 'grafana_alert', 'warning', 'main']),
    );
  });

  it('stores a resolved alert at its end', async () => {
    const startsAt = new Date(Date.now() - 300_000).toISOString();
    const endsAt = new Date(Date.now() - 30_000).toISOString();
    expect((await post(grafanaPayload(startsAt, { status: 'resolved', endsAt }))).status).toBe(202);
    const resolved = await eventually(
      async () =>
        (await grafanaAnnotations()).find((a) => a.title === 'PgConnectionSaturation warning resolved'),
      15_000,
      'the resolved webhook alert among the annotations',
    );
    expect(resolved.time).toBe(Date.parse(endsAt));
  });

  it('answers 400 naming the field for a malformed payload, and stores none of it', async () => {
    const valid = grafanaPayload(new Date().toISOString());
    const cases: [unknown, RegExp][] = [
      [{ ...valid, alerts: undefined }, /alerts/],
      [{ ...valid, status: 'exploded' }, /status/],
      [
        { ...valid, alerts: [{ ...valid.alerts[0], labels: { alertname: 42 } }] },
        /alerts.*labels.*alertname/,
      ],
      [{ ...valid, alerts: [{ ...valid.alerts[0], startsAt: undefined }] }, /alerts.*startsAt/],
      // The first alert is fine, the second is not: nothing is stored.
      [
        { ...valid, alerts: [valid.alerts[0], { ...valid.alerts[0], startsAt: 'yesterday' }] },
        /^alerts\[1\]\.startsAt: /,
      ],
      ['{"status": "firing", "alerts": [', /body|JSON/i],
      // Valid RFC 3339, but no store keeps a time in the year 275760 (it made the store refuse the batch).
      [
        { ...valid, alerts: [{ ...valid.alerts[0], startsAt: '+275760-09-13T00:00:00Z' }] },
        /^alerts\[0\]\.startsAt: .*outside/,
      ],
      [
        { ...valid, alerts: [{ ...valid.alerts[0], status: 'resolved', endsAt: '+275760-09-13T00:00:00Z' }] },
        /^alerts\[0\]\.endsAt: .*outside/,
      ],
    ];
    const before = (await grafanaAnnotations()).length;
    for (const [body, field] of cases) {
      const response = await post(body);
      expect({ status: response.status, message: response.body.message }).toEqual({
        status: 400,
        message: expect.stringMatching(field),
      });
    }
    // Give the writer time to flush anything it (wrongly) took.
    await new Promise((r) => setTimeout(r, 500));
    expect((await grafanaAnnotations()).length).toBe(before);
  });

  it('stores text the store cannot hold (lone surrogates, NUL) made storable, with the rest of the batch', async () => {
    const valid = grafanaPayload(new Date(Date.now() - 60_000).toISOString());
    const alert = valid.alerts[0] as (typeof valid.alerts)[number];
    const payload = {
      ...valid,
      alerts: [
        { ...alert, labels: { ...alert.labels, alertname: 'Lone \ud800 surrogate' } },
        { ...alert, labels: { ...alert.labels, alertname: 'Beside the lone surrogate' } },
        { ...alert, labels: { ...alert.labels, alertname: 'Nul\u0000 byte' } },
      ],
    };
    expect(await post(payload)).toEqual({ status: 202, body: { stored: 3 } });
    const titles = await eventually(
      async () => {
        const found = (await grafanaAnnotations()).map((a) => a.title);
        return ['Lone \ufffd surrogate firing', 'Beside the lone surrogate firing', 'Nul byte firing'].every(
          (t) => found.includes(t),
        )
          ? found
          : undefined;
      },
      15_000,
      'the three webhook alerts among the annotations',
    );
    expect(titles).toContain('Beside the lone surrogate firing');
  });

  it('takes posts only with an admin token', async () => {
    const payload = grafanaPayload(new Date().toISOString());
    expect((await post(payload, READ)).status).toBe(403);
    expect((await post(payload, 'not-a-token-at-all-0000')).status).toBe(401);
  });
});
