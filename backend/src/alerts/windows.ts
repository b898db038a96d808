import { rangeCalls } from '../catalog/alerts/ast';
import { labelsKey, SampleView, SeriesHistory, WindowView } from './expr/vector';
import { Labels } from '../catalog/alerts/types';
import { EffectiveRule } from './rules';

interface History {
  labels: Labels;
  points: [number, number][];
}

/**
 * The history the backend keeps for range functions (a day of WAL rate for a baseline, ten minutes
 * of a counter for an increase): for each metric a rule reads through a range function, a sample
 * per series per evaluation, at most one per `minSpacingMs`, for the longest window that reads it.
 * Bounded per target (`maxSeriesPerTarget` series of a metric), not per replica: a replica with 200
 * targets has 2,200 series of a per-database counter, and a replica-wide bound left the last targets
 * without history (their alerts never fired). A target's series past its bound are counted.
 */
export class WindowStore implements WindowView {
  private readonly keepMs = new Map<string, number>();
  private readonly histories = new Map<string, Map<string, History>>();
  private dropped = 0;

  constructor(
    rules: readonly EffectiveRule[],
    private readonly options: { minSpacingMs: number; maxSeriesPerTarget: number } = {
      minSpacingMs: 30_000,
      maxSeriesPerTarget: 1000,
    },
  ) {
    for (const rule of rules) {
      if (!rule.enabled) continue;
      for (const call of rangeCalls(rule.value)) {
        const metric = call.selector.metric;
        this.keepMs.set(metric, Math.max(this.keepMs.get(metric) ?? 0, call.windowS * 1000));
      }
    }
  }

  /** The metrics it keeps (the range functions' inputs). */
  get metrics(): string[] {
    return [...this.keepMs.keys()].sort();
  }

  /** Series not kept since the start because their target had its bound of a metric's series. */
  get droppedSeries(): number {
    return this.dropped;
  }

  record(samples: SampleView, now: number): void {
    for (const [metric, keepMs] of this.keepMs) {
      let byLabels = this.histories.get(metric);
      if (!byLabels) this.histories.set(metric, (byLabels = new Map()));
      const perTarget = new Map<string, number>();
      for (const { labels } of byLabels.values())
        perTarget.set(labels.target ?? '', (perTarget.get(labels.target ?? '') ?? 0) + 1);
      for (const series of samples.get(metric) ?? []) {
        const key = labelsKey(series.labels);
        let history = byLabels.get(key);
        if (!history) {
          const target = series.labels.target ?? '';
          const kept = perTarget.get(target) ?? 0;
          if (kept >= this.options.maxSeriesPerTarget) {
            this.dropped += 1;
            continue;
          }
          perTarget.set(target, kept + 1);
          byLabels.set(key, (history = { labels: { ...series.labels }, points: [] }));
        }
        const last = history.points[history.points.length - 1];
        if (last && now - last[0] < this.options.minSpacingMs) continue;
        history.points.push([now, series.value]);
      }
      // Drop what no window reaches any more (and series that stopped reporting altogether).
      for (const [key, history] of byLabels) {
        const firstKept = history.points.findIndex(([t]) => t >= now - keepMs);
        if (firstKept === -1) byLabels.delete(key);
        else if (firstKept > 0) history.points.splice(0, firstKept);
      }
    }
  }

  range(metric: string, fromMs: number, toMs: number): SeriesHistory[] {
    const out: SeriesHistory[] = [];
    for (const history of this.histories.get(metric)?.values() ?? []) {
      const points = history.points.filter(([t]) => t >= fromMs && t <= toMs);
      if (points.length > 0) out.push({ labels: history.labels, points });
    }
    return out;
  }
}
