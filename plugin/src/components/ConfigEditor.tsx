import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import React, { ChangeEvent } from 'react';
import { PgGovernorOptions, PgGovernorSecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<PgGovernorOptions, PgGovernorSecureOptions>;

/**
 * The backend URL and default target live in jsonData; the API token in secureJsonData, which
 * Grafana encrypts and only its proxy route reads (plugin.json adds it as the bearer header).
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const setJson = (key: keyof PgGovernorOptions) => (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: event.currentTarget.value } });

  const setToken = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { apiToken: event.currentTarget.value } });

  const resetToken = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });

  return (
    <FieldSet label="PG Governor backend">
      <Field
        label="Backend URL"
        description="Where Grafana's server reaches the PG Governor backend (port 8765 by default), e.g. http://pg-governor:8765"
        required
      >
        <Input
          id="pgg-backend-url"
          width={60}
          value={jsonData.backendUrl ?? ''}
          placeholder="http://localhost:8765"
          onChange={setJson('backendUrl')}
        />
      </Field>
      <Field
        label="API token"
        description="A read (or admin) token of the backend; stored encrypted by Grafana"
      >
        <SecretInput
          id="pgg-api-token"
          width={60}
          isConfigured={Boolean(secureJsonFields?.apiToken)}
          value={secureJsonData?.apiToken ?? ''}
          placeholder="bearer token"
          onChange={setToken}
          onReset={resetToken}
        />
      </Field>
      <Field label="Default target" description="The target new queries start with (optional)">
        <Input
          id="pgg-default-target"
          width={40}
          value={jsonData.defaultTarget ?? ''}
          placeholder="main"
          onChange={setJson('defaultTarget')}
        />
      </Field>
    </FieldSet>
  );
}
