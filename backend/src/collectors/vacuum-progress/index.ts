import { vacuumProgressDefinition } from '../../catalog/collectors/vacuum-progress';
import { Collector } from '../types';
import { AutovacuumWorkersRow, deriveVacuumProgress, VacuumProgressRow } from './derive';

export const vacuumProgressCollector: Collector = {
  ...vacuumProgressDefinition,
  async collect(context) {
    const rows = await context.query<VacuumProgressRow>('vacuum-progress');
    const [workers] = await context.query<AutovacuumWorkersRow>('autovacuum-workers');
    if (!workers) throw new Error('autovacuum_workers query returned no row');
    return deriveVacuumProgress(rows, workers);
  },
};
