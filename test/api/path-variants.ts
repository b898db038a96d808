/**
 * Spellings of one path that a router, a proxy or an attacker may send: percent-encoded letters
 * (one at a time and all, either hex case), case changes, doubled and trailing slashes, dot
 * segments, encoded slashes and dots, matrix parameters, backslashes, a query string. Some reach
 * the same route (the router decodes), most reach none: either way the access needed is the
 * route's, or a token when no route matches.
 */
export function pathVariants(path: string): string[] {
  const out = new Set<string>([path]);
  const encode = (c: string, upper: boolean) => {
    const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
    return `%${upper ? hex.toUpperCase() : hex}`;
  };
  for (let i = 0; i < path.length; i++) {
    const c = path.charAt(i);
    if (!/[A-Za-z0-9._-]/.test(c)) continue;
    for (const upper of [false, true]) out.add(`${path.slice(0, i)}${encode(c, upper)}${path.slice(i + 1)}`);
  }
  out.add(path.replace(/[^/]/g, (c) => encode(c, false)));
  out.add(path.toUpperCase());
  out.add(path.replace(/\/([a-z])/, (_m, c: string) => `/${c.toUpperCase()}`));
  const slashes = [...path.matchAll(/\//g)].map((m) => m.index ?? 0);
  for (const at of slashes) {
    out.add(`${path.slice(0, at)}//${path.slice(at + 1)}`);
    out.add(`${path.slice(0, at)}/./${path.slice(at + 1)}`);
    out.add(`${path.slice(0, at)}/x/../${path.slice(at + 1)}`);
    out.add(`${path.slice(0, at)}/%2e/${path.slice(at + 1)}`);
    out.add(`${path.slice(0, at)}/%2E%2E/${path.slice(at + 1)}`);
    if (at > 0) {
      out.add(`${path.slice(0, at)}%2F${path.slice(at + 1)}`);
      out.add(`${path.slice(0, at)}%2f${path.slice(at + 1)}`);
      out.add(`${path.slice(0, at)}\\${path.slice(at + 1)}`);
    }
  }
  out.add(`${path}/`);
  out.add(`${path}//`);
  out.add(`${path};x=1`);
  out.add(`${path}%3Fx=1`);
  out.add(`${path}?x=1`);
  out.add(`${path}%00`);
  out.add(`${path}%`);
  out.add(`${path}%zz`);
  out.add(`/${path}`);
  out.add(`/.${path}`);
  return [...out];
}

/** A concrete path for a route pattern: parameters filled with plausible values. */
export function concretePath(pattern: string): string {
  return pattern
    .replace(/:target\b/g, 'main')
    .replace(/:name\b/g, 'targets')
    .replace(/:[A-Za-z_]+/g, 'x')
    .replace(/\*$/, 'x');
}
