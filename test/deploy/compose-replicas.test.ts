import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { DEFAULT_PROMETHEUS_JOB } from '../../backend/src/config/alerts-schema';
import { configFileSchema } from '../../backend/src/config/schema';
import { PLUGIN_DATASOURCE_UID } from '../../backend/src/generate/dashboards/model';
import { envExample, readRepoFile, substitute } from '../dashboards/compose-files';
import { REPO_ROOT } from './kubernetes-files';

/**
 * `docker compose up --scale backend=3`, proved without Docker: nothing in the backend service
 * is one per host (a host port, a container name, a data volume), every replica reaches the one
 * store, Prometheus discovers every replica by the service name, and Grafana reaches them by the
 * same name. The Prometheus configuration passes `promtool check config`.
 */
jest.setTimeout(60_000);

const PROMTOOL = '/usr/bin/promtool';

interface PortSpec {
  target?: number;
  published?: string | number;
  host_ip?: string;
}
interface Service {
  container_name?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: (string | PortSpec)[];
  stop_grace_period?: string;
}
interface DnsSdConfig {
  names: string[];
  type?: string;
  port?: number;
}
interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: DnsSdConfig[];
}

const compose = parse(substitute(readRepoFile('docker-compose.yml'), envExample()), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const backend = services.backend as Service;
const BACKEND_PORT = 8765;

/** A port mapping's host port, '' when Docker picks a free one per container. */
function hostPort(port: string | PortSpec): string {
  if (typeof port !== 'string') return port.published === undefined ? '' : String(port.published);
  const parts = port.split(':');
  return parts.length > 1 ? (parts[parts.length - 2] as string) : '';
}

describe('docker compose up --scale backend=3', () => {
  it('has no one-per-host setting on the backend: host port, container name, data volume', () => {
    expect(backend.container_name).toBeUndefined();
    expect(backend.ports?.length).toBeGreaterThan(0);
    for (const port of backend.ports ?? []) {
      // Every replica would bind the same fixed host port; Docker picks one for each instead.
      expect({ port, host: hostPort(port) }).toEqual({ port, host: '' });
      if (typeof port !== 'string')
        expect(port).toMatchObject({ target: BACKEND_PORT, host_ip: '127.0.0.1' });
    }
    // Named volumes would be shared by the replicas: only read-only bind mounts.
    for (const volume of backend.volumes ?? []) expect(volume).toMatch(/^\.\/[^:]+:[^:]+:ro$/);
  });

  it('gives a stopping replica the time to hand its targets over before SIGKILL', () => {
    // docker/backend/pg-governor.yaml leaves shutdown_timeout_ms at its default.
    expect(readRepoFile('docker/backend/pg-governor.yaml')).not.toMatch(/shutdown_timeout_ms/);
    const shutdownMs = configFileSchema([]).properties.shutdown_timeout_ms.default as number;
    const grace = /^(\d+)s$/.exec(backend.stop_grace_period ?? '');
    expect(Number(grace?.[1]) * 1000).toBeGreaterThan(shutdownMs);
  });

  it('points every replica at the one PostgreSQL store service', () => {
    const store = new URL(backend.environment?.PGG_STORE_URL ?? '');
    expect(store.protocol).toBe('postgres:');
    expect(Object.keys(services)).toContain(store.hostname);
    expect(store.hostname).not.toBe('backend');
  });

  it('scrapes every replica: Prometheus resolves the service name to each one (DNS, type A)', () => {
    const prometheus = parse(readRepoFile('prometheus/prometheus.yml')) as { scrape_configs: ScrapeConfig[] };
    const job = prometheus.scrape_configs.find((c) => c.job_name === DEFAULT_PROMETHEUS_JOB);
    expect(job?.static_configs).toBeUndefined();
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.dns_sd_configs).toEqual([
      expect.objectContaining({ names: ['backend'], type: 'A', port: BACKEND_PORT }),
    ]);
  });

  it("reaches the backend from Grafana by the service name (compose's DNS load-balances)", () => {
    const sources = (
      parse(readRepoFile('provisioning/datasources/pg-governor.yaml')) as {
        datasources: { uid: string; jsonData: { backendUrl: string } }[];
      }
    ).datasources;
    const url = new URL(sources.find((s) => s.uid === PLUGIN_DATASOURCE_UID)?.jsonData.backendUrl ?? '');
    expect(url.hostname).toBe('backend');
    expect(Number(url.port)).toBe(BACKEND_PORT);
  });

  it('has a Prometheus configuration that promtool accepts', async () => {
    const { stdout, stderr } = await promisify(execFile)(PROMTOOL, [
      'check',
      'config',
      path.join(REPO_ROOT, 'prometheus', 'prometheus.yml'),
    ]);
    expect(`${stdout}${stderr}`).toMatch(/SUCCESS/);
  });
});
