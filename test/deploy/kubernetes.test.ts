import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { parse } from 'yaml';
import { VERSION } from '../../backend/src/version';
import { BackendProcess } from '../support/backend-process';
import { readRepoFile } from '../dashboards/compose-files';
import {
  builtManifests,
  KUBERNETES_DIR,
  kustomization,
  Manifest,
  manifestFile,
  schemaErrors,
  unknownFields,
} from './kubernetes-files';

/**
 * deploy/kubernetes without a cluster: every manifest valid against the Kubernetes API's schemas
 * and types, and consistent with the others and with the backend: the ports, the labels, the
 * Secret's keys, the configuration the backend accepts, the shutdown inside the grace period,
 * the memory limits around the backend's own ceiling.
 */
jest.setTimeout(60_000);

const OPTIONAL = ['podmonitor.yaml'];
const manifests = builtManifests();
const podMonitor = manifestFile('podmonitor.yaml');
const one = <T>(kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as unknown as T;
};
const deployment = one<IDeployment>('Deployment');
const service = one<IService>('Service');
const pdb = one<IPodDisruptionBudget>('PodDisruptionBudget');
const secret = one<ISecret>('Secret');
const configMap = one<IConfigMap>('ConfigMap');
const pod = deployment.spec?.template.spec;
const container = pod?.containers.find((c) => c.name === 'backend') as IContainer;
const podLabels = deployment.spec?.template.metadata?.labels ?? {};

/** A port by number or by the name of one of the container's ports. */
const portNumber = (port: number | string | undefined) =>
  typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
const probePort = (probe: IProbe | undefined) => portNumber(probe?.httpGet?.port);
const selects = (selector: Record<string, string> | undefined) =>
  Object.keys(selector ?? {}).length > 0 &&
  Object.entries(selector ?? {}).every(([k, v]) => podLabels[k] === v);
/** '640Mi' -> MiB. */
const mebibytes = (quantity: string | undefined) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity ?? '');
  return match ? Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1) : NaN;
};

/** The environment the container gets: the image's ENV, then the Deployment's (values from the Secret). */
function containerEnvironment(): Record<string, string> {
  const dockerfile = readRepoFile('Dockerfile').replace(/\\\n/g, ' ');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const image = Object.fromEntries(
    [...runtime.matchAll(/^ENV (.*)$/gm)].flatMap((m) =>
      [...(m[1] as string).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((kv) => [kv[1], kv[2]]),
    ),
  ) as Record<string, string>;
  const env = { ...image };
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    env[variable.name] = ref ? (secret.stringData?.[ref.key] ?? '') : (variable.value ?? '');
  }
  return env;
}

interface EffectiveConfig {
  http: { host: string; port: number };
  store: { url?: string };
  memory: { limit_mb: number };
  shutdown_timeout_ms: number;
  targets: { name: string; dsn: string; governorDsn: string }[];
}

type Validated = { code: number | null; stderr: string; config: EffectiveConfig };
let validated: Promise<Validated> | undefined;
/** `--validate-config` on the ConfigMap's file with the container's environment (run once). */
const effectiveConfig = () => (validated ??= validate());

async function validate(): Promise<Validated> {
  const env = containerEnvironment();
  const mount = container.volumeMounts?.find((m) => env.PGG_CONFIG?.startsWith(`${m.mountPath}/`));
  const volume = pod?.volumes?.find((v) => v.name === mount?.name);
  expect(volume?.configMap?.name).toBe(configMap.metadata?.name);
  const key = path.relative(mount?.mountPath ?? '', env.PGG_CONFIG ?? '');
  const text = configMap.data?.[key];
  expect(text).toBeDefined();
  const dir = mkdtempSync(path.join(tmpdir(), 'pgg-k8s-'));
  try {
    writeFileSync(path.join(dir, key), text ?? '');
    const result = await BackendProcess.run(['--validate-config', path.join(dir, key)], {
      ...env,
      PGG_CONFIG: path.join(dir, key),
    });
    return { code: result.code, stderr: result.stderr, config: parse(result.stdout) as EffectiveConfig };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml (the PodMonitor is opt-in)', () => {
    const k = kustomization();
    const files = readdirSync(KUBERNETES_DIR).filter((f) => f.endsWith('.yaml'));
    const sources = (k.configMapGenerator ?? []).flatMap((g) => g.files);
    expect([...k.resources, ...sources, ...OPTIONAL, 'kustomization.yaml'].sort()).toEqual(files.sort());
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Namespace', 'PodDisruptionBudget', 'Secret', 'Service'].sort(),
    );
    expect(manifests.find((m) => m.kind === 'Namespace')?.metadata.name).toBe(k.namespace);
  });

  it('validates against the Kubernetes schemas, with no field the API does not know', () => {
    const all: Manifest[] = [...manifests, podMonitor];
    expect(all.flatMap((m) => schemaErrors(m).map((e) => `${m.file}: ${e}`))).toEqual([]);
    expect(unknownFields(all)).toEqual([]);
    // The check does catch one.
    const typo = { ...podMonitor, spec: { ...(podMonitor.spec as object), selectr: {} } };
    expect(unknownFields([typo]).join('\n')).toMatch(/selectr/);
  });

  it('runs 2+ replicas of the image the Dockerfile builds, a disruption budget below them', () => {
    const replicas = deployment.spec?.replicas ?? 1;
    expect(replicas).toBeGreaterThanOrEqual(2);
    const minAvailable = pdb.spec?.minAvailable;
    expect(typeof minAvailable).toBe('number');
    expect(minAvailable).toBeGreaterThanOrEqual(1);
    expect(minAvailable).toBeLessThan(replicas);
    expect(container.image).toBe(`pg-governor-backend:${VERSION}`);
    // The image's own command (its heap flags) runs: no override here.
    expect(container.command).toBeUndefined();
    expect(container.args).toBeUndefined();
  });

  it('selects its pods with the same labels everywhere', () => {
    expect(selects(deployment.spec?.selector.matchLabels)).toBe(true);
    expect(service.spec?.selector).toEqual(deployment.spec?.selector.matchLabels);
    expect(pdb.spec?.selector?.matchLabels).toEqual(deployment.spec?.selector.matchLabels);
    for (const spread of pod?.topologySpreadConstraints ?? [])
      expect(spread.labelSelector?.matchLabels).toEqual(deployment.spec?.selector.matchLabels);
    const monitor = podMonitor as unknown as IPodMonitor;
    expect(monitor.spec.selector.matchLabels).toEqual(deployment.spec?.selector.matchLabels);
    expect(podLabels[monitor.spec.jobLabel ?? '']).toBe('pg-governor');
  });

  it('probes /healthz and /readyz, serves and is scraped on the port the backend listens on', async () => {
    const { code, stderr, config } = await effectiveConfig();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const port = config.http.port;
    expect(port).toBe(8765);
    expect(config.http.host).toBe('0.0.0.0');
    expect(container.ports?.map((p) => p.containerPort)).toEqual([port]);
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container.startupProbe?.httpGet?.path).toBe('/healthz');
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe])
      expect(probePort(probe)).toBe(port);
    expect(service.spec?.ports?.map((p) => portNumber(p.targetPort))).toEqual([port]);
    const annotations = deployment.spec?.template.metadata?.annotations ?? {};
    expect(annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
    const endpoints = (podMonitor as unknown as IPodMonitor).spec.podMetricsEndpoints ?? [];
    expect(endpoints.map((e) => [portNumber(e.port), e.path])).toEqual([[port, '/metrics']]);
  });

  it('takes its secrets from the Secret: the keys the Deployment names, a shared store among them', async () => {
    const referenced = (container.env ?? []).flatMap((e) =>
      e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [],
    );
    expect(new Set(referenced.map((r) => r.name))).toEqual(new Set([secret.metadata?.name]));
    expect(referenced.map((r) => r.key).sort()).toEqual(Object.keys(secret.stringData ?? {}).sort());
    // Each key is the variable it sets, so the Secret reads as the environment it makes.
    for (const e of container.env ?? [])
      if (e.valueFrom?.secretKeyRef) expect(e.valueFrom.secretKeyRef.key).toBe(e.name);
    expect(referenced.map((r) => r.key)).toContain('PGG_STORE_URL');
    // No literal secret in the Deployment or the configuration.
    expect(JSON.stringify(deployment)).not.toMatch(/postgres:\/\/[^@\s]*:[^@\s]*@/);
    expect(configMap.data?.['pg-governor.yaml']).not.toMatch(/postgres:\/\/[^@\s]*:[^@\s]*@/);

    const { config } = await effectiveConfig();
    expect(config.store.url).toMatch(/^postgres:\/\/pgg_store:\*\*\*@/);
    // The Secret completes each target's DSNs with their passwords.
    for (const target of config.targets) {
      expect(target.dsn).toContain(':***@');
      expect(target.governorDsn).toContain(':***@');
    }
  });

  it('stops within the grace period, its memory limits around the backend own ceiling', async () => {
    const { config } = await effectiveConfig();
    const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
    const pause = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    expect(pause).toBeGreaterThan(0);
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      pause + config.shutdown_timeout_ms / 1000,
    );

    const limit = mebibytes(container.resources?.limits?.memory as string);
    const request = mebibytes(container.resources?.requests?.memory as string);
    // memory.limit_mb is MiB: the backend's orderly exit comes before the kernel's OOM kill.
    expect(limit).toBeGreaterThan(config.memory.limit_mb);
    // The request covers a replica's RSS goal (300 MB with 200 targets).
    expect(request).toBeGreaterThanOrEqual(300);
    expect(request).toBeLessThanOrEqual(limit);
  });

  it('runs as non-root on a read-only root filesystem, writing only to an emptyDir', () => {
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const writable = (container.volumeMounts ?? []).filter((m) => !m.readOnly);
    expect(writable.map((m) => m.mountPath)).toEqual(['/tmp']);
    for (const mount of writable)
      expect(pod?.volumes?.find((v) => v.name === mount.name)?.emptyDir).toBeDefined();
  });
});
