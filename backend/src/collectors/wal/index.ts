import { walDefinition } from '../../catalog/collectors/wal';
import { CounterReading } from '../database-stats/counters';
import { Collector } from '../types';
import { deriveWal, WalRow } from './derive';

const READING = 'reading';

export const walCollector: Collector = {
  ...walDefinition,
  async collect(context) {
    const [row] = await context.query<WalRow>('wal');
    if (!row) throw new Error('wal query returned no row');
    const { samples, reading } = deriveWal(
      row,
      context.state.get(READING) as CounterReading | undefined,
      context.now,
    );
    context.state.set(READING, reading);
    return { samples };
  },
};
