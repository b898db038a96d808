import { Expr, Selector } from '../../catalog/alerts/ast';

/** Seconds as a Prometheus duration: the largest unit that divides it (86400 -> 1d, 150 -> 150s). */
export function promDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** A number as PromQL reads it back exactly (JavaScript's shortest round-trip form). */
export function promNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

function renderSelector(selector: Selector): string {
  if (selector.matchers.length === 0) return selector.metric;
  const matchers = selector.matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`);
  return `${selector.metric}{${matchers.join(', ')}}`;
}

const onClause = (on: string[] | undefined) => (on ? ` on (${on.join(', ')})` : '');

/** Binary operations nest in parentheses; selectors and calls stand alone. */
function operand(expr: Expr): string {
  const text = renderPromQL(expr);
  return expr.kind === 'arithmetic' || expr.kind === 'filter' || expr.kind === 'set' ? `(${text})` : text;
}

export function renderPromQL(expr: Expr): string {
  switch (expr.kind) {
    case 'selector':
      return renderSelector(expr);
    case 'range':
      return `${expr.fn}(${renderSelector(expr.selector)}[${promDuration(expr.windowS)}])`;
    case 'aggregate':
      return expr.by.length > 0
        ? `${expr.op} by (${expr.by.join(', ')}) (${renderPromQL(expr.expr)})`
        : `${expr.op}(${renderPromQL(expr.expr)})`;
    case 'arithmetic':
    case 'set':
      return `${operand(expr.lhs)} ${expr.op}${onClause(expr.on)} ${operand(expr.rhs)}`;
    case 'filter':
      return `${operand(expr.expr)} ${expr.op} ${promNumber(expr.scalar)}`;
    case 'label':
      return `label_replace(${renderPromQL(expr.expr)}, ${JSON.stringify(expr.label)}, ${JSON.stringify(expr.value)}, "", "")`;
  }
}
