// Where a failover's time goes, target by target (bench/failover.bench.mjs with BENCH_FAILOVER_LOGS,
// whose replicas log at info): from the kill (or SIGTERM) to the claim of the target in the store
// (the bench's trigger on target_owners), to its new owner's "target up" (its pool connected and
// the server identified), to the time of its first hot sample after the kill (when the collector
// ran), to when the bench saw that sample stored (the writer's flush and the bench's polling).
// Hot-loop failures logged by the new owner between the claim and the sample say why a first
// cycle gave no sample.

const quantile = (sorted, q) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** The JSON log lines of a replica's output with `msg`, parsed. */
function logLines(replica, msg) {
  return replica.backend
    .lines(`"msg":"${msg}"`)
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);
}

/**
 * Per moved target (ms after `at`): claimed, up, collected (first hot sample's time), seen stored,
 * and the hot collectors' failures its new owner logged in between.
 * `claims`: target -> claim times (ms); `collected`: target -> first sample time (ms);
 * `seen`: target -> ms after `at` the bench saw it stored; `owners`: target -> replica id.
 */
export function failoverTimeline({ at, moved, claims, collected, seen, owners, replicas }) {
  const byId = new Map(replicas.map((r) => [r.id, r]));
  const ups = new Map();
  const hotFailures = new Map();
  for (const replica of replicas) {
    const upAt = new Map();
    for (const l of logLines(replica, 'target up'))
      if (l.time >= at && !upAt.has(l.target)) upAt.set(l.target, l.time);
    ups.set(replica.id, upAt);
    const failures = new Map();
    for (const l of logLines(replica, 'collector failed'))
      if (l.time >= at && l.collector === 'activity')
        failures.set(l.target, [...(failures.get(l.target) ?? []), { at: l.time - at, err: l.err }]);
    hotFailures.set(replica.id, failures);
  }
  return moved.map((target) => {
    const owner = owners.get(target);
    const claimAt = (claims.get(target) ?? []).find((t) => t >= at - 1000);
    const upAt = ups.get(owner)?.get(target);
    const sampleAt = collected.get(target);
    const failures = (hotFailures.get(owner)?.get(target) ?? []).filter(
      (f) => sampleAt === undefined || f.at <= sampleAt - at,
    );
    return {
      target,
      owner: byId.get(owner)?.name ?? owner,
      claimed_ms: claimAt === undefined ? NaN : claimAt - at,
      up_ms: upAt === undefined ? NaN : upAt - at,
      collected_ms: sampleAt === undefined ? NaN : sampleAt - at,
      seen_ms: seen.get(target) ?? NaN,
      activity_failures: failures,
    };
  });
}

/** Quantiles of each step and the slowest targets' rows, for the bench's output. */
export function summarizeTimeline(rows) {
  const steps = {
    'kill -> claimed': (r) => r.claimed_ms,
    'claimed -> up': (r) => r.up_ms - r.claimed_ms,
    'up -> collected': (r) => r.collected_ms - r.up_ms,
    'collected -> seen stored': (r) => r.seen_ms - r.collected_ms,
    'kill -> collected': (r) => r.collected_ms,
  };
  const quantiles = Object.fromEntries(
    Object.entries(steps).map(([name, of]) => {
      const values = rows
        .map(of)
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      return [
        name,
        {
          p0: quantile(values, 0),
          p50: quantile(values, 0.5),
          p90: quantile(values, 0.9),
          max: quantile(values, 1),
          n: values.length,
        },
      ];
    }),
  );
  const slowest = [...rows].sort((a, b) => b.collected_ms - a.collected_ms).slice(0, 8);
  return {
    quantiles,
    slowest,
    with_activity_failures: rows.filter((r) => r.activity_failures.length > 0).length,
  };
}
