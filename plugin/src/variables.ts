import {
  CustomVariableSupport,
  DataQueryRequest,
  DataQueryResponse,
  FieldType,
  createDataFrame,
} from '@grafana/data';
import { from, Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { PgGovernorVariableQuery } from './types';

/** Template variables from GET /api/v1/variables/:name, as a frame of text and value. */
export class PgGovernorVariableSupport extends CustomVariableSupport<DataSource, PgGovernorVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<PgGovernorVariableQuery>): Observable<DataQueryResponse> {
    const query = request.targets[0];
    if (!query?.variable) return from(Promise.resolve({ data: [] }));
    return from(
      this.datasource.variableValues(query, request.scopedVars).then((values) => ({
        data: [
          createDataFrame({
            refId: query.refId ?? 'variable',
            fields: [
              { name: 'text', type: FieldType.string, values: values.map((v) => v.text) },
              { name: 'value', type: FieldType.string, values: values.map((v) => v.value) },
            ],
          }),
        ],
      })),
    );
  }
}
