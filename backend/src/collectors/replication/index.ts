import { replicationDefinition, standbyDefinition } from '../../catalog/collectors/replication';
import { Collector } from '../types';
import { derivePrimaryReplication, deriveStandby, ReplicaRow, SlotRow, StandbyRow } from './derive';

export const replicationCollector: Collector = {
  ...replicationDefinition,
  async collect(context) {
    const limit = [context.topN.relations];
    const replicas = await context.query<ReplicaRow>('replication-replicas', { params: limit });
    const slots = await context.query<SlotRow>('replication-slots', { params: limit });
    return derivePrimaryReplication(replicas, slots);
  },
};

export const standbyCollector: Collector = {
  ...standbyDefinition,
  async collect(context) {
    const [row] = await context.query<StandbyRow>('replication-standby');
    return deriveStandby(row);
  },
};
