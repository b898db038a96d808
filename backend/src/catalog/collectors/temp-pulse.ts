import { CollectorDefinition } from '../types';

/** Hot loop: a cheap pulse of temporary file spill across all databases. */
export const tempPulseDefinition: CollectorDefinition = {
  name: 'temp_pulse',
  loop: 'hot',
  description:
    'Temporary files and bytes written by queries across all databases, every hot cycle, and the bytes written since the previous cycle',
  queries: ['temp-pulse'],
  metrics: [
    {
      name: 'pg_temp_files_total',
      help: 'Temporary files created, all databases',
      type: 'counter',
      unit: 'short',
      labels: [],
    },
    {
      name: 'pg_temp_bytes_total',
      help: 'Bytes written to temporary files, all databases',
      type: 'counter',
      unit: 'bytes',
      labels: [],
    },
    {
      name: 'pg_temp_bytes_since_previous_cycle',
      help: 'Bytes written to temporary files since the previous hot cycle, all databases',
      type: 'gauge',
      unit: 'bytes',
      labels: [],
    },
    {
      name: 'pg_temp_bytes_per_second',
      help: 'Bytes written to temporary files per second over the last hot interval, all databases',
      type: 'gauge',
      unit: 'Bps',
      labels: [],
    },
  ],
};
