import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { PgGovernorOptions, PgGovernorQuery, PgGovernorSecureOptions } from './types';

export const plugin = new DataSourcePlugin<
  DataSource,
  PgGovernorQuery,
  PgGovernorOptions,
  PgGovernorSecureOptions
>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
