import { FindingKind, runbookOf } from './types';

export const SCHEMA_FINDINGS: FindingKind[] = [
  {
    id: 'disabled_trigger',
    title: 'Disabled trigger',
    category: 'schema',
    description:
      'A trigger is disabled (ALTER TABLE ... DISABLE TRIGGER): what it does silently stops; a disabled internal trigger means a foreign key goes unchecked.',
    severity: 'warning',
    inputs: [{ collector: 'schema_health' }],
    params: {},
    anchors: 'check_postgres disabled_triggers (1 by default); pgwatch reco_disabled_triggers',
    runbook: runbookOf('disabled_trigger'),
  },
  {
    id: 'sequence_exhaustion',
    title: 'Sequence near exhaustion',
    category: 'schema',
    description:
      'A sequence has used most of its range (its own limit, or the integer column it feeds): when it runs out nextval() fails, and so does every insert that needs it.',
    severity: 'warning',
    inputs: [{ collector: 'sequences' }],
    params: {
      warning_ratio: { default: 0.85, unit: 'ratio', description: 'Share of the range used: warning' },
      critical_ratio: { default: 0.95, unit: 'ratio', description: 'Share of the range used: critical' },
    },
    anchors:
      'check_postgres sequence (85 % warning, 95 % critical); pgmonitor PGSequenceExhaustion (75 %); pgwatch sequence_health',
    runbook: runbookOf('sequence_exhaustion'),
  },
];
