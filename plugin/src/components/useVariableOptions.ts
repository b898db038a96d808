import { SelectableValue } from '@grafana/data';
import { useCallback, useState } from 'react';
import type { DataSource } from '../datasource';
import type { VariableName } from '@pg-governor/contract';

/**
 * Values of a backend variable as select options, fetched when a menu opens (so an editor with
 * five filters makes no calls until one is used), with the dashboard's variables first.
 */
export function useVariableOptions(
  datasource: DataSource,
  variable: VariableName | undefined,
  scope: { target?: string; database?: string },
): { options: Array<SelectableValue<string>>; isLoading: boolean; load: () => void } {
  const [options, setOptions] = useState<Array<SelectableValue<string>>>([]);
  const [isLoading, setLoading] = useState(false);
  const { target, database } = scope;
  const load = useCallback(() => {
    const templateVariables = datasource.templateVariableOptions();
    if (!variable) {
      setOptions(templateVariables);
      return;
    }
    setLoading(true);
    datasource
      .variableValues({ refId: 'options', variable, target, database })
      .then(
        (values) =>
          setOptions([...templateVariables, ...values.map((v) => ({ label: v.text, value: v.value }))]),
        () => setOptions(templateVariables),
      )
      .finally(() => setLoading(false));
  }, [datasource, variable, target, database]);
  return { options, isLoading, load };
}
