import { CollectorDefinition } from '../types';

/** pg_stat_database's row for shared objects (datid 0): the catalogs of the pg_global tablespace. */
export const SHARED_CATALOG_CHECKSUM_FAILURES = 'pg_shared_catalog_checksum_failures_total';

/**
 * Workload loop: checksum failures in the shared catalogs, which pg_stat_database counts apart from
 * every database's (database_stats reads those) and which exporters that read it by datname drop.
 */
export const sharedCatalogChecksumsDefinition: CollectorDefinition = {
  name: 'shared_catalog_checksums',
  loop: 'workload',
  description:
    'Data page checksum failures in the shared catalogs (pg_authid, pg_database, ...), only with data checksums on',
  queries: ['shared-catalog-checksums'],
  metrics: [
    {
      name: SHARED_CATALOG_CHECKSUM_FAILURES,
      help: 'Data page checksum failures in the shared catalogs (pg_stat_database row of datid 0; only with data checksums on)',
      type: 'counter',
      unit: 'short',
      labels: [],
    },
  ],
};
