/**
 * A small subset of PromQL as data. Every alert's condition is built from these nodes once; the
 * same tree renders to PromQL (Prometheus and Grafana rule files) and evaluates in the backend over
 * its latest samples, so the two cannot drift apart.
 */

export interface Matcher {
  label: string;
  op: '=' | '!=';
  value: string;
}

export interface Selector {
  kind: 'selector';
  metric: string;
  matchers: Matcher[];
}

export type RangeFunction = 'avg_over_time' | 'stddev_over_time' | 'increase';

export interface RangeCall {
  kind: 'range';
  fn: RangeFunction;
  selector: Selector;
  windowS: number;
}

export type AggregateOp = 'max' | 'min' | 'sum' | 'group';

export interface Aggregate {
  kind: 'aggregate';
  op: AggregateOp;
  by: string[];
  expr: Expr;
}

export type ArithmeticOp = '+' | '-' | '*' | '/';

/** How a value compares with a threshold (alerts) or a number (filters). */
export type Comparator = '>=' | '>' | '<=' | '<' | '==';

/** Vector op vector, matched one-to-one on `on` (or on all labels). */
export interface Arithmetic {
  kind: 'arithmetic';
  op: ArithmeticOp;
  lhs: Expr;
  rhs: Expr;
  on?: string[];
}

/** Vector comparison with a number, as a filter: keeps the series for which it holds, values unchanged. */
export interface Filter {
  kind: 'filter';
  op: Comparator;
  expr: Expr;
  scalar: number;
}

export type SetOp = 'and' | 'unless' | 'or';

export interface SetOperation {
  kind: 'set';
  op: SetOp;
  lhs: Expr;
  rhs: Expr;
  on?: string[];
}

/** label_replace(expr, label, value, "", ""): adds a constant label. */
export interface ConstantLabel {
  kind: 'label';
  expr: Expr;
  label: string;
  value: string;
}

export type Expr = Selector | RangeCall | Aggregate | Arithmetic | Filter | SetOperation | ConstantLabel;

// Builders: the catalog reads like the PromQL it stands for.

export function metric(name: string, labels: Record<string, string> = {}): Selector {
  return {
    kind: 'selector',
    metric: name,
    matchers: Object.entries(labels).map(([label, value]) => ({ label, op: '=', value })),
  };
}

export const maxBy = (by: string[], expr: Expr): Aggregate => ({ kind: 'aggregate', op: 'max', by, expr });
export const minBy = (by: string[], expr: Expr): Aggregate => ({ kind: 'aggregate', op: 'min', by, expr });
export const sumBy = (by: string[], expr: Expr): Aggregate => ({ kind: 'aggregate', op: 'sum', by, expr });
export const groupBy = (by: string[], expr: Expr): Aggregate => ({
  kind: 'aggregate',
  op: 'group',
  by,
  expr,
});

export const rangeCall = (fn: RangeFunction, selector: Selector, windowS: number): RangeCall => ({
  kind: 'range',
  fn,
  selector,
  windowS,
});

export const arithmetic = (op: ArithmeticOp, lhs: Expr, rhs: Expr, on?: string[]): Arithmetic => ({
  kind: 'arithmetic',
  op,
  lhs,
  rhs,
  ...(on ? { on } : {}),
});

export const filter = (expr: Expr, op: Comparator, scalar: number): Filter => ({
  kind: 'filter',
  op,
  expr,
  scalar,
});

export const and = (lhs: Expr, rhs: Expr, on?: string[]): SetOperation => ({
  kind: 'set',
  op: 'and',
  lhs,
  rhs,
  ...(on ? { on } : {}),
});

export const unless = (lhs: Expr, rhs: Expr, on?: string[]): SetOperation => ({
  kind: 'set',
  op: 'unless',
  lhs,
  rhs,
  ...(on ? { on } : {}),
});

export const or = (lhs: Expr, rhs: Expr): SetOperation => ({ kind: 'set', op: 'or', lhs, rhs });

export const constantLabel = (expr: Expr, label: string, value: string): ConstantLabel => ({
  kind: 'label',
  expr,
  label,
  value,
});

/** Every node of the tree, depth first. */
export function* walk(expr: Expr): Generator<Expr> {
  yield expr;
  switch (expr.kind) {
    case 'range':
      yield expr.selector;
      return;
    case 'aggregate':
    case 'filter':
    case 'label':
      yield* walk(expr.expr);
      return;
    case 'arithmetic':
    case 'set':
      yield* walk(expr.lhs);
      yield* walk(expr.rhs);
      return;
    case 'selector':
      return;
  }
}

/** The metric families an expression reads. */
export function metricNames(expr: Expr): string[] {
  const names = new Set<string>();
  for (const node of walk(expr)) if (node.kind === 'selector') names.add(node.metric);
  return [...names].sort();
}

/** The range calls of an expression: their selectors need history in the backend. */
export function rangeCalls(expr: Expr): RangeCall[] {
  return [...walk(expr)].filter((node): node is RangeCall => node.kind === 'range');
}
