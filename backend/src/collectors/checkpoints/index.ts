import { checkpointsDefinition } from '../../catalog/collectors/checkpoints';
import { Collector } from '../types';
import { CheckpointHistory, CheckpointsRow, deriveCheckpoints } from './derive';

const HISTORY = 'history';

export const checkpointsCollector: Collector = {
  ...checkpointsDefinition,
  async collect(context) {
    const [row] = await context.query<CheckpointsRow>('checkpoints');
    if (!row) throw new Error('checkpoints query returned no row');
    const previous = context.state.get(HISTORY) as CheckpointHistory | undefined;
    const { samples, history } = deriveCheckpoints(row, previous, context.now);
    context.state.set(HISTORY, history);
    return { samples };
  },
};
