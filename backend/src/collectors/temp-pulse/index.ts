import { tempPulseDefinition } from '../../catalog/collectors/temp-pulse';
import { Collector } from '../types';
import { deriveTempPulse, TempPulseRow, TempReadings } from './derive';

const READINGS = 'readings';

export const tempPulseCollector: Collector = {
  ...tempPulseDefinition,
  async collect(context) {
    const rows = await context.query<TempPulseRow>('temp-pulse');
    const previous = context.state.get(READINGS) as TempReadings | undefined;
    const { samples, readings } = deriveTempPulse(rows, previous, context.now);
    context.state.set(READINGS, readings);
    return { samples };
  },
};
