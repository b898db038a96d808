import { serverControlDefinition } from '../../catalog/collectors/server-control';
import { Collector } from '../types';
import { deriveServerControl, ServerControlMemory, ServerControlRow } from './derive';

const MEMORY = 'server_control';

export const serverControlCollector: Collector = {
  ...serverControlDefinition,
  async collect(context) {
    const sentAt = Date.now();
    const [row] = await context.query<ServerControlRow>('server-control');
    const receivedAt = Date.now();
    if (!row) throw new Error('server-control returned no row');
    let memory = context.state.get(MEMORY) as ServerControlMemory | undefined;
    if (!memory) context.state.set(MEMORY, (memory = { identifierChanges: 0 }));
    return { samples: deriveServerControl(row, memory, { sentAt, receivedAt }) };
  },
};
