import { locksDefinition } from '../../catalog/collectors/locks';
import { Collector } from '../types';

interface LockRow {
  mode: string;
  granted: boolean;
  locks: number;
  [key: string]: unknown;
}

export const locksCollector: Collector = {
  ...locksDefinition,
  async collect(context) {
    const rows = await context.query<LockRow>('locks');
    return {
      samples: rows.map((r) => ({
        metric: 'pg_locks',
        labels: { mode: r.mode, granted: String(r.granted) },
        value: r.locks,
      })),
    };
  },
};
