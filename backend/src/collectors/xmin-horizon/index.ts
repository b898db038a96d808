import { xminHorizonDefinition } from '../../catalog/collectors/xmin-horizon';
import { Collector } from '../types';
import { deriveXminHorizon, XminHolderRow } from './derive';

/** At most this many holders of each kind: the oldest are what matter, and the rows stay bounded. */
export const HOLDERS_PER_KIND = 5;

export const xminHorizonCollector: Collector = {
  ...xminHorizonDefinition,
  async collect(context) {
    const rows = await context.query<XminHolderRow>('xmin-horizon', { params: [HOLDERS_PER_KIND] });
    return deriveXminHorizon(rows);
  },
};
