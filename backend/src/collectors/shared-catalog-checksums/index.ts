import {
  SHARED_CATALOG_CHECKSUM_FAILURES,
  sharedCatalogChecksumsDefinition,
} from '../../catalog/collectors/shared-catalog-checksums';
import { Collector } from '../types';

export const sharedCatalogChecksumsCollector: Collector = {
  ...sharedCatalogChecksumsDefinition,
  async collect(context) {
    // No row with data checksums off: no sample then, not a made-up zero.
    const rows = await context.query<{ checksum_failures: number }>('shared-catalog-checksums');
    return {
      samples: rows.map((row) => ({
        metric: SHARED_CATALOG_CHECKSUM_FAILURES,
        labels: {},
        value: row.checksum_failures,
      })),
    };
  },
};
