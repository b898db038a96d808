import { SnapshotColumn } from '../types';

/** The query API's `findings` table: the findings held now, one row each (the target column comes first). */
export const FINDINGS_TABLE = {
  kind: 'findings',
  description:
    'Diagnosed problems (open, and resolved in the last day) with their severity, object, remediation and since when; their transitions are events of kind finding',
  columns: [
    { name: 'severity', type: 'string', description: 'info, warning or critical' },
    { name: 'state', type: 'string', description: 'open or resolved' },
    { name: 'kind', type: 'string', description: 'the finding kind (GET /api/v1/findings lists them)' },
    { name: 'title', type: 'string' },
    { name: 'object_type', type: 'string', description: 'database, relation, index, session, slot, ...' },
    { name: 'object', type: 'string', description: 'what it is about, qualified' },
    { name: 'database', type: 'string' },
    { name: 'detail', type: 'string' },
    {
      name: 'remediation',
      type: 'string',
      description: 'statements to run (never run by PG Governor) or steps',
    },
    { name: 'first_seen', type: 'time' },
    { name: 'last_seen', type: 'time' },
    { name: 'resolved_at', type: 'time' },
    { name: 'id', type: 'string' },
  ] satisfies SnapshotColumn[],
};
