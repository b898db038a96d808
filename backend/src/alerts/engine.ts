import { Logger } from 'pino';
import { Registry } from 'prom-client';
import { PeriodicJob } from '../lib/periodic-job';
import { TurnBudget } from '../lib/turn-budget';
import { HistoryWriter } from '../store/types';
import { AlertsConfig } from '../config/alerts-schema';
import { createAlertEngineMetrics, AlertEngineMetrics } from './engine-metrics';
import { ActiveAlert, AlertState, evaluateAlertsInTurns, EvaluationResult } from './evaluator';
import { transitionEvent } from './events';
import { metricNames } from '../catalog/alerts/ast';
import { createNotifiers, Notifier } from './notifiers';
import { CatalogSeries, samplesFromRegistry } from './registry-samples';
import { describeRules, RuleDescription } from './rule-descriptions';
import { EffectiveRule, effectiveRules } from './rules';
import { WindowStore } from './windows';

export interface AlertEngineDeps {
  config: AlertsConfig;
  /** The process registry: the rules read its latest values; the engine's own metrics go there too. */
  registry: Registry;
  /** The collector families /metrics serves outside the registry (metrics/exporter.ts). */
  catalogSeries?: CatalogSeries;
  /** Where transitions become events (annotations); absent: not recorded. */
  history?: Pick<HistoryWriter, 'writeEvent'>;
  log: Logger;
  /** Default: the notifiers the configuration enables. */
  notifiers?: Notifier[];
  now?: () => number;
}

/**
 * The backend's alerting: every evaluation_interval_s it reads the latest values of the families
 * the rules use, evaluates the catalog (pure), and acts on the transitions: events in the history
 * store, metrics, direct notifiers. Nothing it does can stall collection; a failure is logged.
 */
export class AlertEngine {
  readonly rules: EffectiveRule[];
  private readonly windows: WindowStore;
  private readonly families: string[];
  private readonly metrics: AlertEngineMetrics;
  private readonly notifiers: Notifier[];
  private state: AlertState = new Map();
  private current: ActiveAlert[] = [];
  private lastEvaluationAt: number | undefined;
  private readonly job: PeriodicJob<EvaluationResult>;

  constructor(private readonly deps: AlertEngineDeps) {
    this.rules = effectiveRules(deps.config.rules);
    this.windows = new WindowStore(this.rules);
    this.families = [...new Set(this.rules.filter((r) => r.enabled).flatMap((r) => metricNames(r.value)))];
    this.metrics = createAlertEngineMetrics(
      deps.registry,
      this.rules,
      () => this.current,
      () => this.lastEvaluationAt,
    );
    this.notifiers = deps.notifiers ?? createNotifiers(deps.config.notifiers, deps.log, deps.registry);
    this.job = new PeriodicJob(() => this.evaluateOnce(), deps.config.evaluation_interval_s * 1000);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  start(): void {
    if (this.deps.config.enabled) this.job.start();
  }

  async stop(): Promise<void> {
    await this.job.stop();
    await Promise.all(this.notifiers.map((n) => n.drain()));
  }

  /** Active (pending and firing) alerts as of the last evaluation. */
  active(): ActiveAlert[] {
    return this.current;
  }

  lastEvaluation(): number | undefined {
    return this.lastEvaluationAt;
  }

  /** The catalog with the thresholds in effect, for the API. */
  describeRules(): RuleDescription[] {
    return describeRules(this.rules);
  }

  /** One evaluation now (the timer's, or a test's). Overlapping calls share the running one. */
  evaluate(): Promise<EvaluationResult> {
    return this.job.runOnce();
  }

  private async evaluateOnce(): Promise<EvaluationResult> {
    const now = this.now();
    // A 200-target replica's evaluation is tens of milliseconds: the event loop runs in between.
    const budget = new TurnBudget();
    const pause = () => budget.pause();
    try {
      const samples = await samplesFromRegistry(
        this.deps.registry,
        this.families,
        this.deps.catalogSeries,
        pause,
      );
      await pause();
      const droppedBefore = this.windows.droppedSeries;
      this.windows.record(samples, now);
      if (this.windows.droppedSeries > droppedBefore)
        this.deps.log.warn(
          { dropped: this.windows.droppedSeries - droppedBefore },
          "alert windows: a target's series of a metric past the bound are not kept (their range rules see no history)",
        );
      await pause();
      const result = await evaluateAlertsInTurns(
        { rules: this.rules, samples, windows: this.windows, state: this.state, now },
        pause,
      );
      this.state = result.state;
      this.current = result.active;
      this.lastEvaluationAt = now;
      this.act(result);
      return result;
    } catch (error) {
      this.deps.log.error({ err: error }, 'alert evaluation failed');
      throw error;
    }
  }

  private act(result: EvaluationResult): void {
    for (const { alertId, message } of result.errors) {
      const rule = this.rules.find((r) => r.definition.id === alertId);
      this.metrics.evaluationErrors.inc({ alertname: rule?.definition.name ?? alertId });
      this.deps.log.warn({ alert: alertId, err: message }, 'alert rule not evaluated');
    }
    this.metrics.record(result.transitions);
    for (const t of result.transitions) {
      if (t.to !== 'pending') {
        this.deps.log.info(
          { alert: t.alertname, key: t.key, state: t.to, severity: t.severity },
          'alert transition',
        );
      }
      const event = transitionEvent(t);
      if (event) this.deps.history?.writeEvent(event);
      for (const notifier of this.notifiers) {
        try {
          notifier.notify(t);
        } catch (error) {
          this.deps.log.error({ notifier: notifier.name, err: error }, 'notifier failed');
        }
      }
    }
  }
}
