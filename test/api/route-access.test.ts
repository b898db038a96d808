import { Agent, request as httpRequest } from 'node:http';
import { BackendProcess, targetsUp } from '../support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';
import { validBodies } from './bad-requests';
import { concretePath, pathVariants } from './path-variants';

/**
 * Access is decided on the route that will run, never on the raw URL (issue: `/%61pi/v1/overview`
 * answered 200 without a token). Against the real service, with its real route table (the one
 * it logs at start): every route in every odd spelling, with no token, a wrong one and a read token
 * on admin routes; then a fuzz of every route's input with the admin token: 0 unauthenticated
 * 2xx on protected routes, 0 5xx for bad input.
 */
jest.setTimeout(300_000);

const READ = 'route-access-read-token-0001';
const ADMIN = 'route-access-admin-token-0001';
const MONITOR_PASSWORD = 'monitor-pw-route-access';

interface RouteAccess {
  method: string;
  url: string;
  access: 'open' | 'read' | 'admin';
}

let pg: TestPostgres;
let backend: BackendProcess;
let port: number;
let routes: RouteAccess[];

beforeAll(async () => {
  pg = await startPostgres({ major: NEWEST_MAJOR });
  await pg.createRole('pgg_monitor', { password: MONITOR_PASSWORD, grants: ['pg_monitor'] });
  await pg.query('CREATE DATABASE route_access_store');
  let url: string;
  ({ backend, url } = await BackendProcess.start({
    PGG_TARGET_URL: pg.url('postgres', 'pgg_monitor', MONITOR_PASSWORD),
    PGG_STORE_URL: pg.url('route_access_store'),
    PGG_READ_TOKENS: READ,
    PGG_ADMIN_TOKENS: ADMIN,
    PGG_AUTH__PROTECT_METRICS: 'true',
    PGG_HTTP_HOST: '127.0.0.1',
  }));
  port = Number(new URL(url).port);
  await targetsUp(url, 60_000);
  const logged = backend.logLines().find((l) => l.msg === 'API routes and the access each needs');
  if (!logged) throw new Error(`no route table logged:\n${backend.stdout}`);
  routes = (logged.routes as string[]).map((line) => {
    const [method = '', url = '', access = ''] = line.split(' ');
    return { method, url, access: access as RouteAccess['access'] };
  });
});

afterAll(async () => {
  agent.destroy();
  await backend?.stop('SIGKILL');
  await pg?.destroy();
});

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

interface Answer {
  status: number;
  text: string;
}

/** One request with the path sent exactly as given (no URL normalisation on the client side). */
function send(method: string, path: string, token?: string, body?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Runs requests a few at a time (the server is shared with the backend's own loops). */
async function all<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i] as T);
      }
    }),
  );
  return results;
}

describe('the route table', () => {
  it('keeps only the probes open and every /api route behind a token, admin for what changes things', () => {
    const open = routes.filter((r) => r.access === 'open').map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(['GET /healthz', 'GET /readyz', 'HEAD /healthz', 'HEAD /readyz']);
    expect(routes.find((r) => r.url === '/metrics')?.access).toBe('read'); // protect_metrics
    for (const r of routes.filter((r) => r.url.startsWith('/api/')))
      expect({ route: `${r.method} ${r.url}`, protected: r.access !== 'open' }).toEqual({
        route: `${r.method} ${r.url}`,
        protected: true,
      });
    const admin = routes.filter((r) => r.access === 'admin').map((r) => `${r.method} ${r.url}`);
    expect(admin.sort()).toEqual(['POST /api/v1/alerts/webhook', 'POST /api/v1/governor/:target/mode']);
    expect(routes.length).toBeGreaterThan(15);
  });
});

describe('every route in every spelling', () => {
  it('answers the reported bypass with 401, and the route itself with its data to a token', async () => {
    for (const path of [
      '/%61pi/v1/overview',
      '/ap%69/v1/overview',
      '/api/v1/variables/%75sers',
      '/%6detrics',
    ]) {
      const anonymous = await send('GET', path);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      const withToken = await send('GET', path, READ);
      expect({ path, status: withToken.status }).toEqual({ path, status: 200 });
    }
  });

  it('never answers 2xx or 3xx on a protected route without a valid token, nor 5xx to anyone', async () => {
    const protectedRoutes = routes.filter((r) => r.access !== 'open');
    const cases: { method: string; path: string; token?: string; why: string }[] = [];
    for (const route of protectedRoutes) {
      for (const path of pathVariants(concretePath(route.url))) {
        for (const method of new Set([route.method, 'GET', 'POST', 'DELETE', 'OPTIONS'])) {
          cases.push({ method, path, why: 'no token' });
          cases.push({ method, path, token: `${READ}x`, why: 'wrong token' });
          if (route.access === 'admin') cases.push({ method, path, token: READ, why: 'read token' });
        }
      }
    }
    expect(cases.length).toBeGreaterThan(5000);
    const answers = await all(cases, (c) => send(c.method, c.path, c.token));
    const wrong = cases
      .map((c, i) => ({ ...c, status: answers[i]?.status ?? 0 }))
      .filter((c) => c.status < 400 || c.status >= 500)
      .map((c) => `${c.method} ${c.path} (${c.why}): ${c.status}`);
    expect(wrong).toEqual([]);
  });

  it('keeps the probes open in their own spellings, and gives nothing else away there', async () => {
    for (const path of ['/healthz', '/readyz', '/%68ealthz'])
      expect((await send('GET', path)).status).toBe(200);
    for (const path of ['/healthz/', '//healthz', '/HEALTHZ', '/healthz/../api/v1/overview']) {
      const answer = await send('GET', path);
      expect({ path, status: answer.status }).toEqual({ path, status: 401 });
    }
  });
});

/** Values that a field of no type should crash on: bounds of dates and numbers, text PostgreSQL cannot hold. */
const EXTREMES: unknown[] = [
  8_640_000_000_000_000,
  -8_640_000_000_000_000,
  8_640_000_000_000_001,
  1e21,
  -1,
  0,
  1.5,
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '\ud800',
  'a\u0000b',
  'x'.repeat(5000),
  '',
  null,
  true,
  [],
  {},
  [null],
  { a: { b: { c: [] } } },
];

/** A Grafana webhook contact point's payload, the admin routes' other input. */
const WEBHOOK = {
  receiver: 'PG Governor',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'PgConnectionSaturation warning', severity: 'warning', target: 'main' },
      annotations: { summary: 'Connections on main at 83%' },
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: '57c6d9296de2ad39',
    },
  ],
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://grafana:3000/',
  version: '1',
};

type Json = Record<string, unknown>;

function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...leafPaths(v, [...prefix, i])]);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...leafPaths(v, [...prefix, k])]);
  return [];
}

function withValue(body: Json, path: (string | number)[], value: unknown): Json {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string] = value;
  return copy;
}

/** Every leaf of a valid body set to every extreme, one at a time. */
function mutations(body: Json): Json[] {
  return leafPaths(body).flatMap((path) => EXTREMES.map((value) => withValue(body, path, value)));
}

/** A query-string value as raw bytes: a lone surrogate goes out as its (invalid) UTF-8 bytes. */
function queryValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return [...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      if (code >= 0xd800 && code <= 0xdfff) return '%ED%A0%80';
      return encodeURIComponent(c);
    })
    .join('');
}

describe('fuzz of every route with a valid token', () => {
  it('answers bad input with a 4xx naming the problem, never a 5xx', async () => {
    const now = Date.now();
    const bodies: Record<string, Json[]> = {
      '/api/v1/query': validBodies(now).map(
        (b) => JSON.parse(JSON.stringify(b).replace(/"test"/g, '"main"')) as Json,
      ),
      '/api/v1/governor/:target/mode': [{ mode: 'dry-run', reason: 'route-access fuzz' }],
      '/api/v1/alerts/webhook': [WEBHOOK],
    };
    const params = ['from', 'to', 'target', 'kind', 'limit', 'asOf', 'datname', 'metric', 'table', 'q'];
    const cases: { method: string; path: string; body?: string }[] = [];
    for (const route of routes.filter((r) => r.url.startsWith('/api/'))) {
      const path = concretePath(route.url);
      if (route.method === 'POST') {
        const seeds = bodies[route.url];
        if (!seeds) throw new Error(`no valid body to fuzz ${route.url} from: add one`);
        for (const seed of seeds)
          for (const body of mutations(seed))
            cases.push({ method: 'POST', path, body: JSON.stringify(body) });
        for (const raw of ['', '{', '[]', 'null', '"x"', '{"a":' + '['.repeat(5000), '\u0000'])
          cases.push({ method: 'POST', path, body: raw });
      } else if (route.method === 'GET') {
        for (const name of params)
          for (const value of EXTREMES)
            cases.push({ method: 'GET', path: `${path}?${name}=${queryValue(value)}` });
      }
    }
    expect(cases.length).toBeGreaterThan(2000);
    const answers = await all(cases, (c) => send(c.method, c.path, ADMIN, c.body));
    const wrong: string[] = [];
    cases.forEach((c, i) => {
      const answer = answers[i] as Answer;
      let message: unknown;
      try {
        message = (JSON.parse(answer.text) as { message?: unknown }).message;
      } catch {
        message = undefined;
      }
      // A panel query answers 200 with an error per refId: bad input there must be named too.
      const storeFailed = answer.text.includes('history store did not answer');
      if (answer.status >= 500 || storeFailed || (answer.status >= 400 && typeof message !== 'string'))
        wrong.push(
          `${c.method} ${c.path} ${c.body?.slice(0, 200) ?? ''}: ${answer.status} ${answer.text.slice(0, 200)}`,
        );
    });
    expect(wrong).toEqual([]);
    // Still serving, and nothing logged at error level for the fuzz.
    expect((await send('GET', '/api/v1/overview', READ)).status).toBe(200);
    const errors = backend.logLines().filter((l) => (l.level ?? 0) >= 50);
    expect(errors.map((l) => JSON.stringify(l).slice(0, 1500))).toEqual([]);
  });
});
