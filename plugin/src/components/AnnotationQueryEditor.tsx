import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, MultiSelect } from '@grafana/ui';
import React from 'react';
import type { AnnotationKind } from '@pg-governor/contract';
import type { Assert, SameMembers } from '../contract-checks';
import { PgGovernorQuery } from '../types';

/** The event kinds and groups GET /api/v1/annotations takes, groups first. */
const KIND_OPTIONS = [
  { value: 'interventions', label: 'Interventions and governor decisions' },
  { value: 'intervention', label: 'Interventions' },
  { value: 'governor_decision', label: 'Governor decisions' },
  { value: 'alerts', label: 'Alert transitions (backend and Grafana)' },
  { value: 'alert', label: 'Backend alert transitions' },
  { value: 'grafana_alert', label: 'Grafana webhook alerts' },
  { value: 'settings_drift', label: 'Settings drift' },
  { value: 'target_state', label: 'Target up/down' },
  { value: 'finding', label: 'Findings (new, escalated, resolved)' },
] satisfies Array<{ value: AnnotationKind; label: string }>;
/** tsc fails here when the contract has a kind this list lacks. */
export type AnnotationKindsComplete = Assert<
  SameMembers<AnnotationKind, (typeof KIND_OPTIONS)[number]['value']>
>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Grafana's own annotation editor props type the data source as any
type Props = QueryEditorProps<any, PgGovernorQuery>;

/** Which events become annotations: kinds (empty: all) and target (empty: all). */
export function AnnotationQueryEditor({ query, onChange }: Props) {
  const current: PgGovernorQuery = { ...query, kind: 'annotations' };
  return (
    <InlineFieldRow>
      <InlineField label="Events" labelWidth={14} tooltip="Empty: every kind">
        <MultiSelect
          inputId="pgg-annotation-kinds"
          aria-label="Events"
          width={48}
          options={KIND_OPTIONS}
          value={(query.kinds ?? []).map(
            (k) => KIND_OPTIONS.find((o) => o.value === k) ?? { label: k, value: k },
          )}
          onChange={(v) =>
            onChange({ ...current, kinds: v.map((s) => s.value).filter((s): s is string => !!s) })
          }
          allowCustomValue
        />
      </InlineField>
      <InlineField label="Target" labelWidth={10} tooltip="Empty: every target; e.g. $target">
        <Input
          id="pgg-annotation-target"
          width={20}
          defaultValue={query.target ?? ''}
          onBlur={(e) => onChange({ ...current, target: e.currentTarget.value || undefined })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
