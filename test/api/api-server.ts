import { request as httpRequest, Agent, IncomingHttpHeaders } from 'node:http';
import { FastifyInstance, FastifyPluginAsync } from 'fastify';
import pino from 'pino';
import { Registry } from 'prom-client';
import { buildServer } from '../../backend/src/api/server';
import { TargetStatus } from '../../backend/src/db/target-monitor';
import { ApiFixture, TARGET } from './api-fixture';

export const READ_TOKEN = 'read-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const BODY_LIMIT = 65_536;

/** The API over the fixture's real data, as the service builds it (minus the listening socket). */
export async function apiServer(
  fixture: ApiFixture,
  options: {
    tokens?: boolean;
    protectMetrics?: boolean;
    memoryLimitMb?: number;
    apiRoutes?: FastifyPluginAsync[];
  } = {},
): Promise<FastifyInstance> {
  const registry = new Registry();
  const status: TargetStatus = {
    name: TARGET,
    state: 'up',
    since: new Date(fixture.startedAt).toISOString(),
    server: fixture.server,
    consecutiveFailures: 0,
  };
  return buildServer({
    log: pino({ level: 'silent' }),
    registry,
    readiness: () => ({ ready: true, problems: [], targets: [status] }),
    bodyLimitBytes: BODY_LIMIT,
    reader: fixture.store.reader,
    latest: fixture.latest,
    collectors: fixture.collectors,
    targets: () => [status],
    auth: {
      readTokens: options.tokens ? [READ_TOKEN] : [],
      adminTokens: options.tokens ? [ADMIN_TOKEN] : [],
      protectMetrics: options.protectMetrics ?? false,
    },
    version: 'test',
    retentionDays: 14,
    // In-process the RSS is jest's (hundreds of MB), not the service's: no shedding unless a test asks.
    memoryLimitMb: options.memoryLimitMb ?? 65_536,
    ...(options.apiRoutes ? { apiRoutes: options.apiRoutes } : {}),
  });
}

/** What servedApi gives a test file: its fixture and the listening API's base URL, once started. */
export interface ServedApi {
  fixture: ApiFixture;
  base: string;
}

/**
 * The API over a fixture, listening, for a whole test file: `start` runs before its tests (it may
 * stage data), and everything stops after them.
 */
export function servedApi(start: () => Promise<ApiFixture>, timeoutMs = 60_000): ServedApi {
  const served = {} as ServedApi;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    served.fixture = await start();
    app = await apiServer(served.fixture);
    served.base = await listen(app);
  }, timeoutMs);
  afterAll(async () => {
    closeAgent();
    await app?.close();
    await served.fixture?.stop();
  });
  return served;
}

/**
 * A request over real HTTP to a listening server. (fastify's inject() loads light-my-request, whose
 * cookie dependency is ESM-only: jest on Node 20 cannot require it.)
 */
export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is (set the content-type yourself). */
  payload?: unknown;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

export function send(base: string, options: RequestOptions): Promise<RawResponse> {
  const json = options.payload !== undefined && typeof options.payload !== 'string';
  const body =
    options.payload === undefined
      ? undefined
      : json
        ? JSON.stringify(options.payload)
        : (options.payload as string);
  const headers: Record<string, string> = {
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(options.url, base), { method: options.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text: raw.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** send() and the parsed JSON body (the text when it is not JSON). */
export async function call<T = unknown>(
  base: string,
  options: RequestOptions,
): Promise<{ status: number; body: T; headers: IncomingHttpHeaders }> {
  const response = await send(base, options);
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = response.text;
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export function closeAgent(): void {
  agent.destroy();
}
