import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, MultiSelect } from '@grafana/ui';
import React from 'react';
import { ANNOTATION_KINDS } from '../annotation-kinds';
import { PgGovernorQuery } from '../types';

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
          options={ANNOTATION_KINDS}
          value={(query.kinds ?? []).map(
            (k) => ANNOTATION_KINDS.find((o) => o.value === k) ?? { label: k, value: k },
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
