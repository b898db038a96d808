import { LatestObservations } from '../collectors/latest-observations';
import { Sample, SnapshotRow } from '../collectors/types';
import { Catalog } from '../catalog/catalog';

/** Reads of the newest observations by metric or table name rather than by collector. */

/** The latest samples of a metric on a target. */
export function latestSamples(
  latest: LatestObservations,
  catalog: Catalog,
  target: string,
  metric: string,
): Sample[] {
  const collector = catalog.collectorOf(metric);
  if (!collector) return [];
  return latest.get(target, collector)?.samples.filter((s) => s.metric === metric) ?? [];
}

/** Every latest sample on every target (or one target), with its target. */
export function* allLatestSamples(
  latest: LatestObservations,
  catalog: Catalog,
  target?: string,
): Generator<{ target: string; sample: Sample }> {
  for (const collector of catalog.collectors) {
    for (const observation of latest.ofCollector(collector)) {
      if (target !== undefined && observation.target !== target) continue;
      for (const sample of observation.samples) yield { target: observation.target, sample };
    }
  }
}

/** Rows of the latest snapshots of a table kind (every target, or one). */
export function latestSnapshotRows(
  latest: LatestObservations,
  catalog: Catalog,
  kind: string,
  target?: string,
): SnapshotRow[] {
  const table = catalog.tables.get(kind);
  if (!table) return [];
  const rows: SnapshotRow[] = [];
  for (const collector of table.collectors) {
    for (const observation of latest.ofCollector(collector)) {
      if (target !== undefined && observation.target !== target) continue;
      rows.push(...(observation.snapshots.find((s) => s.kind === kind)?.rows ?? []));
    }
  }
  return rows;
}
