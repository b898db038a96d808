import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  PLUGIN_DATASOURCE_UID,
  PLUGIN_TYPE,
  PROMETHEUS_DATASOURCE_UID,
} from '../../backend/src/generate/dashboards/model';
import { BackendProcess } from '../support/backend-process';
import {
  bindMount,
  compose,
  envExample,
  readRepoFile,
  referencedVariables,
  substitute,
} from './compose-files';
import { Json, provisioned, REPO_ROOT } from './dashboard-files';

/**
 * Grafana provisioning and the docker-compose stack, proved without Docker: files parse, uids and
 * types agree, every variable is documented in .env.example and reaches the service that reads it,
 * every mounted path exists, the backend's compose configuration is valid for the real backend,
 * and the image starts the service the way the README says.
 */
jest.setTimeout(60_000);

const yamlFiles = (dir: string) =>
  readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`);

const services = compose().services;
const env = envExample();

describe('provisioning', () => {
  const sources = yamlFiles('provisioning/datasources').flatMap(
    (f) => (parse(readRepoFile(f)) as { datasources: Json[] }).datasources,
  );

  it('provisions the PG Governor data source at the backend with the token from the environment', () => {
    const pgg = sources.find((s) => s.uid === PLUGIN_DATASOURCE_UID);
    expect(pgg).toMatchObject({
      type: PLUGIN_TYPE,
      name: 'PG Governor',
      jsonData: { backendUrl: 'http://backend:8765' },
      secureJsonData: { apiToken: '$PGG_GRAFANA_TOKEN' },
    });
    expect(services.backend).toBeDefined();
    // The token Grafana sends is a read token of the backend.
    expect(services.backend?.environment?.PGG_READ_TOKENS).toContain('${PGG_GRAFANA_TOKEN}');
    expect(sources.find((s) => s.uid === PROMETHEUS_DATASOURCE_UID)?.type).toBe('prometheus');
    const uids = sources.map((s) => s.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('loads the provisioned dashboards into the PG Governor folder from where compose mounts them', () => {
    const provider = parse(readRepoFile('provisioning/dashboards/pg-governor.yaml')) as {
      providers: { folder: string; type: string; options: { path: string } }[];
    };
    expect(provider.providers).toHaveLength(1);
    const [only] = provider.providers;
    expect(only).toMatchObject({ folder: 'PG Governor', type: 'file' });
    const mount = (services.grafana?.volumes ?? [])
      .map(bindMount)
      .find((m) => m?.container === only?.options.path);
    expect(mount?.host).toBe(path.join('provisioning', 'dashboards'));
    const hostDir = path.join(REPO_ROOT, mount?.host ?? '');
    expect(
      readdirSync(hostDir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(
      provisioned()
        .map((d) => path.basename(d.file))
        .sort(),
    );
  });

  it('documents every variable the provisioning files read in .env.example and passes it to Grafana', () => {
    const text = yamlFiles('provisioning')
      .map((f) => readRepoFile(f))
      .join('\n')
      // Grafana alerting templates ({{ $labels.x }}, $__...) are not environment variables.
      .replace(/\{\{[^}]*\}\}/g, '');
    const names = [...new Set(referencedVariables(text).map((v) => v.name))];
    expect(names).toEqual(expect.arrayContaining(['PGG_GRAFANA_TOKEN']));
    for (const name of names) {
      expect({ name, documented: env.has(name) }).toEqual({ name, documented: true });
      expect({ name, passed: services.grafana?.environment?.[name] }).toEqual({
        name,
        passed: `\${${name}}`,
      });
    }
  });
});

describe('docker-compose.yml', () => {
  it('has the stack: Grafana, PostgreSQL, PgBouncer, Prometheus, the backend and a workload', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['backend', 'grafana', 'pgbouncer', 'postgres', 'prometheus', 'workload'].sort(),
    );
    const grafana = services.grafana;
    expect(grafana?.image).toMatch(
      /^\$\{GRAFANA_IMAGE:-grafana\/grafana-(enterprise|oss)\}:\$\{GRAFANA_VERSION:-12\.(\d+)\.\d+\}$/,
    );
    expect(Number(/12\.(\d+)/.exec(substitute(grafana?.image ?? '', env))?.[1])).toBeGreaterThanOrEqual(3);
    expect(grafana?.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(PLUGIN_TYPE);
    expect(grafana?.volumes).toContain(`./plugin/dist:/var/lib/grafana/plugins/${PLUGIN_TYPE}:ro`);
    expect(services.postgres?.command?.join(' ')).toContain('shared_preload_libraries=pg_stat_statements');
  });

  it('documents every variable without a default in .env.example', () => {
    const text = readRepoFile('docker-compose.yml');
    const missing = referencedVariables(text).filter((v) => !v.hasDefault && !env.has(v.name));
    expect(missing).toEqual([]);
    expect(() => substitute(text, env)).not.toThrow();
  });

  it('mounts and builds from paths that exist (plugin/dist is the plugin build output)', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const mount of (service.volumes ?? []).map(bindMount)) {
        if (!mount || mount.host === 'plugin/dist') continue;
        expect({
          service: name,
          path: mount.host,
          exists: existsSync(path.join(REPO_ROOT, mount.host)),
        }).toEqual({
          service: name,
          path: mount.host,
          exists: true,
        });
      }
      if (service.build) {
        const context = path.join(REPO_ROOT, service.build.context);
        expect(existsSync(path.join(context, service.build.dockerfile ?? 'Dockerfile'))).toBe(true);
      }
    }
    // What the mounted files refer to inside the containers.
    const init = readRepoFile('docker/postgres/init/10-pg-governor.sh');
    for (const file of init.match(/\/pgg-sql\/roles\/[\w-]+\.sql/g) ?? [])
      expect(existsSync(path.join(REPO_ROOT, 'sql', 'roles', path.basename(file)))).toBe(true);
    const prometheus = parse(readRepoFile('prometheus/prometheus.yml')) as { rule_files: string[] };
    const mounted = (services.prometheus?.volumes ?? []).map(bindMount).map((m) => m?.container);
    for (const rules of prometheus.rule_files) expect(mounted).toContain(`/etc/prometheus/${rules}`);
  });

  it('runs the backend read-only as the README documents, with a configuration the backend accepts', async () => {
    const backend = services.backend;
    expect(backend?.read_only).toBe(true);
    const dockerfile = readRepoFile('Dockerfile');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? 'null') as string[];
    expect(backend?.command).toEqual(cmd);
    expect(readRepoFile('README.md')).toContain(cmd.join(' '));
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);

    // The compose environment, as compose would substitute it from .env.example, the config file from its mount.
    const mounts = (backend?.volumes ?? []).map(bindMount);
    const environment = Object.fromEntries(
      Object.entries(backend?.environment ?? {}).map(([k, v]) => [k, substitute(String(v), env)]),
    );
    const configMount = mounts.find((m) => m?.container === environment.PGG_CONFIG);
    expect(configMount).toBeDefined();
    // The config's folder as the container sees it: the files and folders mounted into it (the
    // packs its custom_metrics_files names, relative to it).
    const configDir = path.posix.dirname(environment.PGG_CONFIG as string);
    const etc = mkdtempSync(path.join(tmpdir(), 'pgg-compose-etc-'));
    for (const mount of mounts) {
      if (mount && path.posix.dirname(mount.container) === configDir)
        symlinkSync(path.join(REPO_ROOT, mount.host), path.join(etc, path.posix.basename(mount.container)));
    }
    environment.PGG_CONFIG = path.join(etc, path.posix.basename(environment.PGG_CONFIG as string));
    const result = await BackendProcess.run(
      ['--validate-config', environment.PGG_CONFIG],
      environment,
    ).finally(() => rmSync(etc, { recursive: true, force: true }));
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('pgbouncer');
    expect(result.stdout).toContain('name: task_queue_stuck');
    expect(result.stdout).toContain('governorDsn: postgres://pgg_governor:***@postgres:5432/app');
  });
});
