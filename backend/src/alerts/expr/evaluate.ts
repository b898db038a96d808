import { Comparator, Labels } from '../../catalog/alerts/types';
import {
  Aggregate,
  ArithmeticOp,
  Expr,
  Matcher,
  RangeCall,
  Selector,
  SetOperation,
} from '../../catalog/alerts/ast';
import { avgOverTime, increase, stddevOverTime } from './range-functions';
import { labelsKey, SampleView, Series, Vector, WindowView } from './vector';

export interface EvaluationInput {
  samples: SampleView;
  windows: WindowView;
  /** ms since epoch: the evaluation time (range windows end here). */
  now: number;
}

/** What PromQL would refuse to evaluate (e.g. several right-hand series for one match). */
export class ExpressionError extends Error {}

export function compare(value: number, op: Comparator, threshold: number): boolean {
  switch (op) {
    case '>=':
      return value >= threshold;
    case '>':
      return value > threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
    case '==':
      return value === threshold;
  }
}

function arithmetic(op: ArithmeticOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

const matches = (labels: Labels, matchers: Matcher[]) =>
  matchers.every((m) => ((labels[m.label] ?? '') === m.value) === (m.op === '='));

function select(selector: Selector, samples: SampleView): Vector {
  return (samples.get(selector.metric) ?? [])
    .filter((s) => matches(s.labels, selector.matchers))
    .map((s) => ({ labels: { ...s.labels }, value: s.value }));
}

function range(call: RangeCall, input: EvaluationInput): Vector {
  // Both window edges included, as Prometheus 2.x selects ranges.
  const from = input.now - call.windowS * 1000;
  const out: Vector = [];
  for (const history of input.windows.range(call.selector.metric, from, input.now)) {
    if (!matches(history.labels, call.selector.matchers)) continue;
    const value =
      call.fn === 'avg_over_time'
        ? avgOverTime(history.points)
        : call.fn === 'stddev_over_time'
          ? stddevOverTime(history.points)
          : increase(history.points, from, input.now);
    if (value !== undefined) out.push({ labels: { ...history.labels }, value });
  }
  return out;
}

/** The named labels that are set (PromQL drops empty labels). */
function keep(labels: Labels, names: string[]): Labels {
  const out: Labels = {};
  for (const name of names) if (labels[name]) out[name] = labels[name] as string;
  return out;
}

function aggregate(node: Aggregate, input: EvaluationInput): Vector {
  const groups = new Map<string, { labels: Labels; values: number[] }>();
  for (const series of evaluateExpr(node.expr, input)) {
    // PromQL leaves out grouping labels that are empty.
    const labels = keep(series.labels, node.by);
    const key = labelsKey(labels);
    const group = groups.get(key) ?? { labels, values: [] };
    group.values.push(series.value);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ labels, values }) => ({ labels, value: reduce(node.op, values) }));
}

function reduce(op: Aggregate['op'], values: number[]): number {
  const numbers = values.filter((v) => !Number.isNaN(v));
  switch (op) {
    case 'group':
      return 1;
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'max':
      return numbers.length > 0 ? Math.max(...numbers) : NaN;
    case 'min':
      return numbers.length > 0 ? Math.min(...numbers) : NaN;
  }
}

function binary(
  lhs: Vector,
  rhs: Vector,
  on: string[] | undefined,
  combine: (a: Series, b: Series) => Series,
): Vector {
  const right = new Map<string, Series>();
  for (const series of rhs) {
    const key = labelsKey(series.labels, on);
    if (right.has(key)) throw new ExpressionError(`several series on the right-hand side match ${key}`);
    right.set(key, series);
  }
  const out: Vector = [];
  for (const series of lhs) {
    const match = right.get(labelsKey(series.labels, on));
    if (match) out.push(combine(series, match));
  }
  return out;
}

function setOperation(node: SetOperation, input: EvaluationInput): Vector {
  const lhs = evaluateExpr(node.lhs, input);
  const rhs = evaluateExpr(node.rhs, input);
  const rightKeys = new Set(rhs.map((s) => labelsKey(s.labels, node.on)));
  switch (node.op) {
    case 'and':
      return lhs.filter((s) => rightKeys.has(labelsKey(s.labels, node.on)));
    case 'unless':
      return lhs.filter((s) => !rightKeys.has(labelsKey(s.labels, node.on)));
    case 'or': {
      const leftKeys = new Set(lhs.map((s) => labelsKey(s.labels, node.on)));
      return [...lhs, ...rhs.filter((s) => !leftKeys.has(labelsKey(s.labels, node.on)))];
    }
  }
}

/** The instant vector an expression yields at input.now. */
export function evaluateExpr(expr: Expr, input: EvaluationInput): Vector {
  switch (expr.kind) {
    case 'selector':
      return select(expr, input.samples);
    case 'range':
      return range(expr, input);
    case 'aggregate':
      return aggregate(expr, input);
    case 'arithmetic':
      return binary(evaluateExpr(expr.lhs, input), evaluateExpr(expr.rhs, input), expr.on, (a, b) => ({
        // One-to-one matching keeps the `on` labels only (or all of the left side's without `on`).
        labels: expr.on ? keep(a.labels, expr.on) : { ...a.labels },
        value: arithmetic(expr.op, a.value, b.value),
      }));
    case 'filter':
      return evaluateExpr(expr.expr, input).filter((s) => compare(s.value, expr.op, expr.scalar));
    case 'set':
      return setOperation(expr, input);
    case 'label':
      return evaluateExpr(expr.expr, input).map((s) => ({
        labels: { ...s.labels, [expr.label]: expr.value },
        value: s.value,
      }));
  }
}
