import { Counter, Registry } from 'prom-client';
import { LatestObservations } from '../collectors/latest-observations';
import { Observation, Sample } from '../collectors/types';
import { CollectorDefinition, MetricDefinition } from '../catalog/types';
import { sanitizeLabelValue } from '../lib/label-value';
import { TurnBudget } from '../lib/turn-budget';
import { escapeLabelValue, familyHeader, formatValue } from './exposition-text';
import { isPerStatement, statementKey, STATEMENTS_COLLECTOR, topStatements } from './statement-ranking';

/**
 * Series of one family from one target at most, whatever a collector returns (the collectors' Top-N
 * lists are bounded in SQL; this guards against a custom metric or a catalog that lists 100,000
 * relations). Beyond it, the later samples in the collector's order are left out and counted.
 */
export const MAX_SERIES_PER_TARGET_FAMILY = 5000;
/**
 * Lines written before the scrape lets the event loop run (the collectors' loops, the API), or
 * sooner once it has run a TurnBudget's time: a chunk of a statement family reads far more samples
 * than it writes (its Top-K of each target's Top-N lists), about 100,000 left out a scrape at 200
 * targets.
 */
const LINES_PER_CHUNK = 2000;

/** Why a series is not exported: the label of pgg_exporter_series_dropped_total. */
export type DropReason = 'statements_top_n' | 'target_cap' | 'duplicate';

export interface ExporterOptions {
  /** Statements exported per target (metrics.statements_top_n); 0: no statement families. */
  statementsTopN: number;
}

/** A series as the alert engine reads it: every label (target first) and the value. */
export interface ExportedSeries {
  labels: Record<string, string>;
  value: number;
}

interface Family {
  collector: string;
  definition: MetricDefinition;
  header: string;
}

/**
 * What one observation exports of one family, in the collector's order: `visit` gets each sample
 * with its label values (as `labelValue` spells them, in the family's label order); drops go to
 * `drop`.
 */
function selectSamples(
  definition: MetricDefinition,
  samples: readonly Sample[],
  topStatementKeys: Set<string> | undefined,
  labelValue: (raw: string) => string,
  drop: (reason: DropReason) => void,
  visit: (sample: Sample, values: string[]) => void,
): void {
  const names = definition.labels;
  const seen = new Set<string>();
  let count = 0;
  for (const sample of samples) {
    if (sample.metric !== definition.name || !Number.isFinite(sample.value)) continue;
    if (topStatementKeys && isPerStatement(sample) && !topStatementKeys.has(statementKey(sample.labels))) {
      drop('statements_top_n');
      continue;
    }
    const values: string[] = [];
    for (const name of names) values.push(labelValue(sample.labels[name] ?? ''));
    const key = names.length === 1 ? (values[0] as string) : values.join('\u0000');
    if (seen.has(key)) {
      drop('duplicate');
      continue;
    }
    seen.add(key);
    if (++count > MAX_SERIES_PER_TARGET_FAMILY) {
      drop('target_cap');
      continue;
    }
    visit(sample, values);
  }
}

/** A label value cleaned (sanitizeLabelValue) and escaped for the text, remembered for the scrape. */
function textLabelValues(): (raw: string) => string {
  const known = new Map<string, string>();
  return (raw) => {
    let value = known.get(raw);
    if (value === undefined) known.set(raw, (value = escapeLabelValue(sanitizeLabelValue(raw))));
    return value;
  };
}

/** One observation's samples by metric and its exported statements: built once a scrape. */
interface ObservationIndex {
  target: string;
  byMetric: Map<string, Sample[]>;
  topStatementKeys: Set<string> | undefined;
}

/**
 * Serves the collectors' metric families (the catalog's) from the latest observations: each scrape
 * reads the newest observation of every collector on every target, so series of vanished objects
 * and of failing collectors disappear instead of going stale. The text is written directly, in
 * chunks between which the event loop runs; the self-metrics stay in prom-client's registry.
 * Statement families are a Top-K per target (metrics.statements_top_n); every family is capped per
 * target; what is left out is counted by reason in pgg_exporter_series_dropped_total.
 */
export class CatalogExporter {
  private readonly families: Family[] = [];
  private readonly byName = new Map<string, Family>();
  private readonly dropped: Counter<'metric' | 'reason'>;

  constructor(
    registry: Registry,
    collectors: readonly CollectorDefinition[],
    private readonly latest: LatestObservations,
    private readonly options: ExporterOptions,
  ) {
    for (const collector of collectors) {
      for (const definition of collector.metrics) {
        if (this.byName.has(definition.name) || registry.getSingleMetric(definition.name))
          throw new Error(`metric ${definition.name} is defined twice`);
        const family: Family = {
          collector: collector.name,
          definition,
          header: familyHeader(definition.name, `${definition.help} (${definition.unit})`, definition.type),
        };
        this.families.push(family);
        this.byName.set(definition.name, family);
      }
    }
    this.dropped = new Counter({
      name: 'pgg_exporter_series_dropped_total',
      help: 'Series left out of /metrics, by family and reason: statements_top_n (beyond metrics.statements_top_n statements a target), target_cap (a family past its series a target), duplicate (a label set a collector returned twice)',
      labelNames: ['metric', 'reason'],
      registers: [registry],
    });
  }

  /** The names of the families it serves. */
  familyNames(): string[] {
    return this.families.map((f) => f.definition.name);
  }

  private topStatementKeys(observation: Observation): Set<string> | undefined {
    if (observation.collector !== STATEMENTS_COLLECTOR) return undefined;
    return topStatements(observation.samples, this.options.statementsTopN);
  }

  private index(observation: Observation): ObservationIndex {
    const byMetric = new Map<string, Sample[]>();
    for (const sample of observation.samples) {
      const list = byMetric.get(sample.metric);
      if (list) list.push(sample);
      else byMetric.set(sample.metric, [sample]);
    }
    return {
      target: escapeLabelValue(sanitizeLabelValue(observation.target)),
      byMetric,
      topStatementKeys: this.topStatementKeys(observation),
    };
  }

  /**
   * The exposition text of every family, in chunks of at most about LINES_PER_CHUNK lines, the
   * event loop running between them. Families in catalog order, each target's series together within one.
   */
  async *chunks(): AsyncGenerator<string> {
    const drops: { metric: string; reason: string; count: number }[] = [];
    const labelValue = textLabelValues();
    const budget = new TurnBudget();
    let text = '';
    let lines = 0;
    let collector: string | undefined;
    let observations: Observation[] = [];
    let indexes: (ObservationIndex | undefined)[] = [];
    for (const family of this.families) {
      if (family.collector !== collector) {
        collector = family.collector;
        observations = this.latest.ofCollector(collector);
        indexes = [];
      }
      const { definition } = family;
      const counter = definition.type === 'counter';
      text += family.header;
      const dropped: Record<DropReason, number> = { statements_top_n: 0, target_cap: 0, duplicate: 0 };
      const drop = (reason: DropReason) => (dropped[reason] += 1);
      for (let i = 0; i < observations.length; i++) {
        // Indexed when first needed, so that indexing a collector's observations is spread too.
        const index = (indexes[i] ??= this.index(observations[i] as Observation));
        const samples = index.byMetric.get(definition.name);
        if (!samples) continue;
        const head = `${definition.name}{target="${index.target}"`;
        selectSamples(definition, samples, index.topStatementKeys, labelValue, drop, (sample, values) => {
          let line = head;
          for (let l = 0; l < values.length; l++) line += `,${definition.labels[l]}="${values[l]}"`;
          text += `${line}} ${formatValue(counter ? Math.max(0, sample.value) : sample.value)}\n`;
          lines += 1;
        });
        if (lines >= LINES_PER_CHUNK || budget.spent()) {
          if (text !== '') yield text;
          text = '';
          lines = 0;
          await budget.giveBack();
        }
      }
      for (const [reason, count] of Object.entries(dropped))
        if (count > 0) drops.push({ metric: definition.name, reason, count });
    }
    if (text !== '') yield text;
    for (const { metric, reason, count } of drops) this.dropped.inc({ metric, reason }, count);
  }

  /** The whole text at once (tests; the route streams the chunks). */
  async text(): Promise<string> {
    let out = '';
    for await (const chunk of this.chunks()) out += chunk;
    return out;
  }

  /**
   * The series one family exports now, as a scrape would show them (the same Top-K and caps), for
   * the alert engine; undefined for a name that is not a catalog family. Nothing counted as dropped.
   */
  series(metric: string): ExportedSeries[] | undefined {
    const family = this.byName.get(metric);
    if (!family) return undefined;
    const { definition } = family;
    const counter = definition.type === 'counter';
    const out: ExportedSeries[] = [];
    const ignore = () => undefined;
    for (const observation of this.latest.ofCollector(family.collector)) {
      const top = isStatementFamily(definition) ? this.topStatementKeys(observation) : undefined;
      selectSamples(definition, observation.samples, top, sanitizeLabelValue, ignore, (sample, values) => {
        const labels: Record<string, string> = { target: observation.target };
        definition.labels.forEach((name, i) => (labels[name] = values[i] as string));
        out.push({ labels, value: counter ? Math.max(0, sample.value) : sample.value });
      });
    }
    return out;
  }
}

const isStatementFamily = (definition: MetricDefinition) => definition.labels.includes('queryid');
