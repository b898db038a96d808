import { activityDefinition } from '../../catalog/collectors/activity';
import { Collector } from '../types';
import { ActivityRow, deriveActivity } from './derive';

export const activityCollector: Collector = {
  ...activityDefinition,
  async collect(context) {
    const rows = await context.query<ActivityRow>('activity', { params: [context.queryText.maxLength] });
    const { server } = context;
    const reserved = server.superuserReservedConnections + server.reservedConnections;
    return deriveActivity(
      rows,
      { maxConnections: server.maxConnections, reserved, usable: server.usableConnections },
      context.queryText,
    );
  },
};
