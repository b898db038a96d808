import { FSWatcher, watch } from 'node:fs';
import { Logger } from 'pino';
import { Counter, Gauge, Registry } from 'prom-client';
import { TargetDefaults } from '../config/resolve-target';
import { TargetConfig } from '../config/schema';
import { readTargetsDir } from '../config/target-files';
import { mergeTargetFiles, targetsOfFiles } from '../config/target-inventory';

export interface TargetsDirOptions {
  dir: string;
  defaults: TargetDefaults;
  /** Names of the main configuration's targets: a file may not take them. */
  mainNames: readonly string[];
  rescanMs: number;
  /** Changes closer together than this are read once. */
  debounceMs?: number;
  log: Logger;
  registry: Registry;
  /** Told the directory's targets after each read that changed them. */
  onChange: (targets: TargetConfig[]) => void;
}

/**
 * The targets of targets_dir, kept current: read at start, again shortly after a change in the
 * folder (fs.watch, debounced), on reload() (SIGHUP) and every rescan as a fallback for file
 * systems without change events. A bad file is reported (log, pgg_targets_file_errors,
 * problems() for /readyz) and its last good targets stay; the other files apply.
 */
export class TargetsDir {
  private accepted = new Map<string, readonly TargetConfig[]>();
  private current: string[] = [];
  private reported = '';
  private warned = new Set<string>();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private rescan: NodeJS.Timeout | undefined;
  private readonly fileErrors: Gauge;
  private readonly reads: Counter<'result'>;
  private readonly log: Logger;

  constructor(private readonly options: TargetsDirOptions) {
    this.log = options.log.child({ component: 'targets_dir', dir: options.dir });
    this.fileErrors = new Gauge({
      name: 'pgg_targets_file_errors',
      help: 'Files of targets_dir whose last reading was refused (their last good targets stay); 1 with the folder unreadable',
      registers: [options.registry],
    });
    this.reads = new Counter({
      name: 'pgg_targets_dir_reads_total',
      help: 'Readings of targets_dir by result (ok, error: a file refused or the folder unreadable)',
      labelNames: ['result'],
      registers: [options.registry],
    });
  }

  targets(): TargetConfig[] {
    return targetsOfFiles(this.accepted);
  }

  /** What is wrong now, one line each (for /readyz: reported, not failing readiness). */
  problems(): string[] {
    return this.current;
  }

  /** First reading (synchronous: the targets are known before the service starts them), then watching. */
  start(): TargetConfig[] {
    this.read('start');
    this.watch();
    this.rescan = setInterval(() => {
      if (!this.watcher) this.watch();
      this.read('rescan');
    }, this.options.rescanMs);
    this.rescan.unref();
    return this.targets();
  }

  /** Reads the folder again now (SIGHUP). */
  reload(reason = 'reload'): void {
    this.read(reason);
  }

  stop(): void {
    clearInterval(this.rescan);
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private watch(): void {
    try {
      this.watcher = watch(this.options.dir, { persistent: false }, () => this.changed());
      this.watcher.on('error', (error) => {
        this.log.warn(
          { err: error.message },
          'targets_dir: watching stopped; rescanning every targets_rescan_s',
        );
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.log.warn(
        { err: (error as Error).message },
        'targets_dir: cannot watch; rescanning every targets_rescan_s',
      );
    }
  }

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.read('change'), this.options.debounceMs ?? 300);
    this.debounce.unref();
  }

  private read(reason: string): void {
    const before = JSON.stringify(this.targets());
    let problems: string[];
    try {
      const readings = readTargetsDir(this.options.dir, this.options.defaults);
      const merged = mergeTargetFiles(this.options.mainNames, this.accepted, readings);
      this.accepted = merged.accepted;
      problems = merged.problems.map((p) => `targets_dir: ${p.path}: ${p.message}`);
      this.fileErrors.set(merged.rejected.length);
      // Caps applied: said once, when first seen.
      const warnings = readings.flatMap((r) => r.warnings);
      for (const w of warnings) if (!this.warned.has(w)) this.log.warn(w);
      this.warned = new Set(warnings);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems = [`targets_dir: the folder cannot be read (${code}); its last good targets stay`];
      this.fileErrors.set(1);
    }
    this.reads.inc({ result: problems.length > 0 ? 'error' : 'ok' });
    this.current = problems;
    const report = problems.join('\n');
    if (report !== this.reported) {
      for (const problem of problems) this.log.error({ reason }, problem);
      if (problems.length === 0 && this.reported !== '')
        this.log.info({ reason }, 'targets_dir: every file read');
      this.reported = report;
    }
    const after = this.targets();
    if (JSON.stringify(after) === before) return;
    this.log.info({ reason, targets: after.map((t) => t.name) }, 'targets_dir: targets changed');
    if (reason !== 'start') this.options.onChange(after);
  }
}
