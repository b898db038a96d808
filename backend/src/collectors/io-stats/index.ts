import { ioStatsDefinition } from '../../catalog/collectors/io-stats';
import { Collector } from '../types';
import { deriveIoStats, IoStatsRow } from './derive';

/** pg_stat_io appeared in PostgreSQL 16. */
export const IO_STATS_MIN_MAJOR = 16;

export const ioStatsCollector: Collector = {
  ...ioStatsDefinition,
  enabled: (server) => server.major >= IO_STATS_MIN_MAJOR,
  async collect(context) {
    return { samples: deriveIoStats(await context.query<IoStatsRow>('io-stats')) };
  },
};
