import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

/** Where the harness page's plugin instance lives, as Grafana names a data source's proxy URL. */
export const INSTANCE_PATH = '/api/datasources/proxy/uid/pgg';
/** plugin.json's route path. */
const ROUTE = `${INSTANCE_PATH}/api/`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>PG Governor plugin</title></head>
<body><div id="root"></div><script src="/harness.js"></script></body></html>`;

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The Authorization header the browser sent (it must send none: the route adds it). */
  browserAuthorization?: string;
  status: number;
}

/**
 * The test page on 127.0.0.1: the harness bundle, the built plugin under /dist/, and Grafana's
 * data-source proxy route: `<instance>/api/<path>` forwarded to `<backend>/<path>` with the
 * bearer token added here, on the server side, as Grafana does from secureJsonData.
 */
export class PageServer {
  readonly proxied: ProxiedRequest[] = [];
  private server: Server | undefined;

  constructor(
    private readonly options: { harnessDir: string; distDir: string; backendUrl: string; token: string },
  ) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith(ROUTE)) return this.proxy(req, res, url);
    if (url.pathname === '/') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return void res.end(PAGE);
    }
    const [root, rest] = url.pathname.startsWith('/dist/')
      ? [this.options.distDir, url.pathname.slice('/dist/'.length)]
      : [this.options.harnessDir, url.pathname.slice(1)];
    const file = path.resolve(root, rest);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      return void res.end('not found');
    }
    res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  }

  private async proxy(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = `${this.options.backendUrl}/${url.pathname.slice(ROUTE.length)}${url.search}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token}` };
    if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
    const answer = await fetch(target, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    this.proxied.push({
      method: req.method ?? 'GET',
      path: url.pathname.slice(ROUTE.length - 1),
      ...(req.headers.authorization ? { browserAuthorization: req.headers.authorization } : {}),
      status: answer.status,
    });
    res.statusCode = answer.status;
    res.setHeader('Content-Type', answer.headers.get('content-type') ?? 'application/json');
    res.end(Buffer.from(await answer.arrayBuffer()));
  }
}
