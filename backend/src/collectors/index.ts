import { activityCollector } from './activity';
import { Collector } from './types';

/** Every collector the backend runs, in the order a loop runs them. */
export const ALL_COLLECTORS: Collector[] = [activityCollector];
