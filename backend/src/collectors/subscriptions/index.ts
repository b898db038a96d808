import {
  SUBSCRIPTION_CONFLICTS_MIN_MAJOR,
  subscriptionsDefinition,
} from '../../catalog/collectors/subscriptions';
import { Collector } from '../types';
import {
  conflictSamples,
  deriveSubscriptions,
  SubscriptionConflictRow,
  SubscriptionMemory,
  SubscriptionRow,
  SubscriptionTableRow,
  tablesNotReady,
} from './derive';

const MEMORY = 'memory';

export const subscriptionsCollector: Collector = {
  ...subscriptionsDefinition,
  async collect(context) {
    const limit = [context.topN.relations];
    const subscriptions = await context.query<SubscriptionRow>('subscriptions', { params: limit });
    // Most servers have no table waiting for its copy: the list costs a statement only when one does.
    const tables =
      tablesNotReady(subscriptions) > 0
        ? await context.query<SubscriptionTableRow>('subscription-tables', { params: limit })
        : [];
    // Conflict counts (18+) only where a subscription is.
    const conflicts =
      subscriptions.length > 0 && context.server.major >= SUBSCRIPTION_CONFLICTS_MIN_MAJOR
        ? await context.query<SubscriptionConflictRow>('subscription-conflicts', { params: limit })
        : [];
    const previous = context.state.get(MEMORY) as SubscriptionMemory | undefined;
    const { result, memory } = deriveSubscriptions(subscriptions, tables, previous, context.now);
    context.state.set(MEMORY, memory);
    return { ...result, samples: [...result.samples, ...conflictSamples(conflicts)] };
  },
};
