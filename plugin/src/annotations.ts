import { AnnotationSupport, DataFrame, FieldType, createDataFrame } from '@grafana/data';
import type { Annotation } from '@pg-governor/contract';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { PgGovernorQuery } from './types';

/**
 * Annotations run through query() as a query of kind 'annotations', whose frame carries the
 * fields Grafana maps to annotations by name: time, timeEnd, title, text, tags.
 */
export function annotationSupport(): AnnotationSupport<PgGovernorQuery> {
  return {
    QueryEditor: AnnotationQueryEditor,
    prepareQuery: (annotation) => {
      const saved = annotation.target;
      return {
        refId: saved?.refId || 'Anno',
        kind: 'annotations',
        ...(saved?.kinds ? { kinds: saved.kinds } : {}),
        ...(saved?.target ? { target: saved.target } : {}),
      };
    },
  };
}

export function annotationsFrame(events: Annotation[], refId: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'annotations',
    fields: [
      { name: 'time', type: FieldType.time, values: events.map((e) => e.time) },
      { name: 'timeEnd', type: FieldType.time, values: events.map((e) => e.timeEnd ?? e.time) },
      { name: 'title', type: FieldType.string, values: events.map((e) => e.title) },
      { name: 'text', type: FieldType.string, values: events.map((e) => e.text) },
      { name: 'tags', type: FieldType.other, values: events.map((e) => e.tags) },
    ],
  });
}
