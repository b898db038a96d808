import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInThisContext } from 'node:vm';
import { freeLoopbackPort } from '../../backend/src/embedded/postgres-server';

/** Debian's package (apt-get install prometheus); .ci/run installs it. */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  value: string;
}

/** Killed when the test process exits without stop(); jest's `process` copy never runs 'exit' listeners. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  (runInThisContext('process') as NodeJS.Process).on('exit', () => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  });
}

/**
 * A real Prometheus for one test file: on a free 127.0.0.1 port, its TSDB in a temporary folder,
 * scraping the given targets and evaluating the given rule file every `intervalS` seconds.
 */
export class TestPrometheus {
  private log = '';

  private constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(options: {
    targets: string[];
    ruleFile: string;
    intervalS: number;
  }): Promise<TestPrometheus> {
    if (!existsSync(PROMETHEUS_BINARY))
      throw new Error(
        `${PROMETHEUS_BINARY} is missing: apt-get install -y --no-install-recommends prometheus (.ci/run does)`,
      );
    const dir = mkdtempSync(path.join(tmpdir(), 'pgg-prometheus-'));
    const interval = `${options.intervalS}s`;
    const config = [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'rule_files:',
      `  - ${JSON.stringify(options.ruleFile)}`,
      'scrape_configs:',
      '  - job_name: pg-governor',
      '    static_configs:',
      `      - targets: ${JSON.stringify(options.targets)}`,
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'prometheus.yml'), config);
    const port = await freeLoopbackPort();
    const child = spawn(
      PROMETHEUS_BINARY,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    installExitHook();
    running.add(child);
    const prometheus = new TestPrometheus(`http://127.0.0.1:${port}`, dir, child);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) {
        await prometheus.stop();
        throw new Error(`prometheus exited at start:\n${prometheus.log}`);
      }
      const ready = await fetch(`${prometheus.url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return prometheus;
      if (Date.now() > deadline) {
        await prometheus.stop();
        throw new Error(`prometheus not ready in time:\n${prometheus.log}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  recentLog(): string {
    return this.log;
  }

  private async api<T>(pathAndQuery: string): Promise<T> {
    const response = await fetch(`${this.url}${pathAndQuery}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success')
      throw new Error(`prometheus ${pathAndQuery}: ${body.error ?? response.status}`);
    return body.data;
  }

  /** An instant query now (GET /api/v1/query). */
  async query(expr: string): Promise<PromSample[]> {
    const data = await this.api<{ resultType: string; result: PromSample[] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    if (data.resultType !== 'vector')
      throw new Error(`expected a vector from ${expr}, got ${data.resultType}`);
    return data.result;
  }

  /** Alerts of the loaded rules, pending and firing (GET /api/v1/alerts). */
  async alerts(): Promise<PromAlert[]> {
    return (await this.api<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts;
  }

  /** Health of each scrape target (GET /api/v1/targets). */
  async targetHealth(): Promise<string[]> {
    const data = await this.api<{ activeTargets: { health: string }[] }>('/api/v1/targets');
    return data.activeTargets.map((t) => t.health);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(this.child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
