import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Registry } from 'prom-client';
import { AlertsConfig } from '../../backend/src/config/alerts-schema';
import { Transition } from '../../backend/src/alerts/evaluator';
import { createNotifiers, Notifier } from '../../backend/src/alerts/notifiers';
import { Severity } from '../../backend/src/catalog/alerts/types';

/**
 * The direct notifiers against a local HTTP server standing in for PagerDuty's Events API v2 and a
 * Slack incoming webhook (a third-party API: the one fake this suite allows). The server answers
 * from a script (errors, 429 with Retry-After, success), so retries, giving up, ordering and
 * dedupe are observed on the wire.
 */
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const SLACK_PATH = '/services/T000/B000/XXXXSECRETXXXX';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

type Answer = { status: number; headers?: Record<string, string> } | 'hang';

class FakeEndpoint {
  readonly received: Received[] = [];
  /** Answers for the next requests, in order; once empty, 202. */
  readonly script: Answer[] = [];
  private server!: Server;
  private readonly hanging: ServerResponse[] = [];
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', body: JSON.parse(raw) as Record<string, unknown> });
        const answer = this.script.shift() ?? { status: 202 };
        if (answer === 'hang') {
          this.hanging.push(res);
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify({ status: answer.status < 300 ? 'success' : 'error' }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.received.length = 0;
    this.script.length = 0;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function transition(to: Transition['to'], severity: Severity, target = 'db1'): Transition {
  const labels = {
    alertname: 'PgConnectionSaturation',
    severity,
    category: 'connections',
    component: 'postgresql',
    pgg_alert: 'connection_saturation',
    target,
  };
  return {
    key: `PgConnectionSaturation{target="${target}"}`,
    alertId: 'connection_saturation',
    alertname: 'PgConnectionSaturation',
    to,
    severity,
    labels,
    value: 0.9,
    threshold: severity === 'critical' ? 0.95 : 0.8,
    at: Date.UTC(2024, 0, 1, 3, 12),
    activeAt: Date.UTC(2024, 0, 1, 3, 10),
    summary: `Connections on ${target} at 90% of the usable maximum`,
    description: 'Client backends use 90% of the connections ordinary roles may open.',
  };
}

describe('direct notifiers (PagerDuty Events API v2, Slack webhook) over HTTP', () => {
  const endpoint = new FakeEndpoint();
  let logs = '';
  const log = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs += chunk.toString();
        done();
      },
    }),
  );
  let registry: Registry;
  let pagerduty: Notifier;
  let slack: Notifier;

  const config = (): AlertsConfig['notifiers'] => ({
    pagerduty: {
      enabled: true,
      routing_key: ROUTING_KEY,
      url: `${endpoint.url}/v2/enqueue`,
      min_severity: 'warning',
    },
    slack: { enabled: true, webhook_url: `${endpoint.url}${SLACK_PATH}`, min_severity: 'critical' },
    retry: { max_attempts: 4, initial_backoff_ms: 10, max_backoff_ms: 100 },
    timeout_ms: 300,
    queue_max: 100,
  });

  const outcomes = async () =>
    Object.fromEntries(
      (await registry.getSingleMetric('pgg_alert_notifications_total')?.get())?.values.map((v) => [
        `${v.labels.notifier}/${v.labels.result}`,
        v.value,
      ]) ?? [],
    );

  beforeAll(() => endpoint.start());
  afterAll(() => endpoint.stop());

  beforeEach(() => {
    endpoint.reset();
    logs = '';
    registry = new Registry();
    const notifiers = createNotifiers(config(), log, registry);
    expect(notifiers.map((n) => n.name)).toEqual(['pagerduty', 'slack']);
    [pagerduty, slack] = notifiers as [Notifier, Notifier];
  });

  it('are off by default', () => {
    const defaults: AlertsConfig['notifiers'] = {
      ...config(),
      pagerduty: { ...config().pagerduty, enabled: false },
      slack: { ...config().slack, enabled: false },
    };
    expect(createNotifiers(defaults, log)).toEqual([]);
  });

  it('PagerDuty: retries 5xx and 429 (with Retry-After) until accepted, the same event each time', async () => {
    endpoint.script.push({ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }, { status: 500 });
    pagerduty.notify(transition('firing', 'warning'));
    await pagerduty.drain();
    expect(endpoint.received).toHaveLength(4);
    for (const r of endpoint.received) {
      expect(r.path).toBe('/v2/enqueue');
      expect(r.body).toEqual(endpoint.received[0]?.body);
    }
    expect(endpoint.received[0]?.body).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'pg-governor/PgConnectionSaturation{target="db1"}',
      payload: {
        severity: 'warning',
        source: 'db1',
        component: 'postgresql',
        group: 'db1',
        class: 'connections',
        summary: 'Connections on db1 at 90% of the usable maximum',
        timestamp: '2024-01-01T03:12:00.000Z',
      },
    });
    expect(await outcomes()).toEqual({ 'pagerduty/sent': 1 });
    // Neither the routing key nor the Slack URL's secret reaches the logs.
    expect(logs).toContain('notification failed, retrying');
    expect(logs).not.toContain(ROUTING_KEY);
    expect(logs).not.toContain('XXXXSECRETXXXX');
  });

  it('PagerDuty: one incident per instance: a repeated firing sends nothing, an escalation re-triggers it, one resolve closes it', async () => {
    pagerduty.notify(transition('pending', 'warning'));
    pagerduty.notify(transition('firing', 'warning'));
    pagerduty.notify(transition('firing', 'warning'));
    pagerduty.notify(transition('firing', 'critical'));
    pagerduty.notify(transition('firing', 'warning', 'db2'));
    pagerduty.notify(transition('resolved', 'critical'));
    pagerduty.notify(transition('resolved', 'critical'));
    pagerduty.notify(transition('firing', 'info', 'db3'));
    await pagerduty.drain();
    expect(
      endpoint.received.map((r) => [
        r.body.event_action,
        r.body.dedup_key,
        (r.body.payload as { severity?: string } | undefined)?.severity,
      ]),
    ).toEqual([
      ['trigger', 'pg-governor/PgConnectionSaturation{target="db1"}', 'warning'],
      ['trigger', 'pg-governor/PgConnectionSaturation{target="db1"}', 'critical'],
      ['trigger', 'pg-governor/PgConnectionSaturation{target="db2"}', 'warning'],
      ['resolve', 'pg-governor/PgConnectionSaturation{target="db1"}', undefined],
    ]);
    expect(await outcomes()).toEqual({ 'pagerduty/sent': 4 });
  });

  it('PagerDuty: a resolve never overtakes its trigger, even while the trigger is being retried', async () => {
    endpoint.script.push({ status: 502 }, { status: 502 });
    pagerduty.notify(transition('firing', 'critical'));
    pagerduty.notify(transition('resolved', 'critical'));
    await pagerduty.drain();
    expect(endpoint.received.map((r) => r.body.event_action)).toEqual([
      'trigger',
      'trigger',
      'trigger',
      'resolve',
    ]);
  });

  it('gives up after max_attempts, and at once on a 4xx that will not improve, counting failures', async () => {
    endpoint.script.push({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    pagerduty.notify(transition('firing', 'critical'));
    await pagerduty.drain();
    expect(endpoint.received).toHaveLength(4);
    endpoint.reset();
    endpoint.script.push({ status: 400 });
    pagerduty.notify(transition('firing', 'critical', 'db2'));
    await pagerduty.drain();
    expect(endpoint.received).toHaveLength(1);
    expect(await outcomes()).toEqual({ 'pagerduty/failed': 2 });
    expect(logs).toContain('notification refused');
  });

  it('retries a request that gets no answer within timeout_ms', async () => {
    endpoint.script.push('hang');
    pagerduty.notify(transition('firing', 'critical'));
    await pagerduty.drain();
    expect(endpoint.received).toHaveLength(2);
    expect(await outcomes()).toEqual({ 'pagerduty/sent': 1 });
    expect(logs).toContain('no answer within 300 ms');
  });

  it('Slack: posts at its minimum severity and above, retries, dedupes and says when it is resolved', async () => {
    endpoint.script.push({ status: 503 });
    slack.notify(transition('firing', 'warning'));
    slack.notify(transition('firing', 'critical'));
    slack.notify(transition('firing', 'critical'));
    slack.notify(transition('resolved', 'critical'));
    await slack.drain();
    const texts = endpoint.received.map((r) => {
      expect(r.path).toBe(SLACK_PATH);
      return (r.body as { text: string }).text;
    });
    expect(texts).toHaveLength(3);
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]).toMatch(
      /^:red_circle: \*\[CRITICAL\] PgConnectionSaturation\* on db1\nConnections on db1/,
    );
    expect(texts[2]).toMatch(/^:white_check_mark: \*\[RESOLVED\] PgConnectionSaturation\* on db1/);
    expect(await outcomes()).toEqual({ 'slack/sent': 2 });
  });
});
