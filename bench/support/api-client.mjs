/* global Buffer, URL */
// A light HTTP client for the API benches: keep-alive, asks for gzip as Grafana's data-source proxy
// does, and returns the body undecoded, so that the client's own work (decompressing, parsing)
// is not counted as the server's; decode() does that when a bench checks an answer.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/** post(url, payload) and get(url); gzip: false sends accept-encoding: identity (to see what compression costs). */
export function apiClient(base, token, { gzip = true } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const request = (method, url, payload) =>
    new Promise((resolve, reject) => {
      const body = payload === undefined ? undefined : JSON.stringify(payload);
      const req = http.request(
        new URL(url, base),
        {
          method,
          agent,
          headers: {
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            'accept-encoding': gzip ? 'gzip' : 'identity',
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const response = { status: res.statusCode, encoding: res.headers['content-encoding'], raw };
            if (res.statusCode !== 200)
              reject(
                new Error(`${method} ${url}: HTTP ${res.statusCode}: ${decode(response).slice(0, 300)}`),
              );
            else resolve(response);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    post: (url, payload) => request('POST', url, payload),
    get: (url) => request('GET', url),
    close: () => agent.destroy(),
  };
}

/** The body's text, gunzipped when it came compressed. */
export function decode(response) {
  return (response.encoding === 'gzip' ? gunzipSync(response.raw) : response.raw).toString('utf8');
}
