// Reading a Prometheus text exposition (the backend's /metrics) in the benches: samples by name
// and labels, sums, and quantiles of a histogram's increase between two scrapes.

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of the families named in `names` (all when omitted): [{ name, labels, value }]. */
export function parseExposition(text, names) {
  const wanted = names ? new Set(names) : undefined;
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match || (wanted && !wanted.has(match[1]))) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples named `name` whose labels include `where`. */
export function sumOf(samples, name, where = {}) {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

/**
 * A histogram's buckets summed over every series whose labels pass `keep` (e.g. the hot loop's
 * collectors on every target): upper bound (le) -> cumulative count.
 */
export function bucketsOf(samples, name, keep = () => true) {
  const buckets = new Map();
  for (const s of samples)
    if (s.name === `${name}_bucket` && keep(s.labels)) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    }
  return buckets;
}

/**
 * The q-quantile (0..1) of what a histogram counted between two scrapes' buckets, as the upper
 * bound of the bucket it falls in (Infinity past the last bound), and the count.
 */
export function quantileBetween(before, after, q) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total === 0) return { value: null, count: 0 };
  const rank = q * total;
  const index = counts.findIndex((c) => c >= rank);
  return { value: bounds[index], count: total };
}
