/**
 * The test page's host: what Grafana gives a plugin at run time (React, @grafana/*, rxjs, a
 * BackendSrv, the theme), then the built dist/module.js loaded as Grafana loads it (AMD), and
 * its ConfigEditor and QueryEditor mounted. Driven by test/plugin/browser.test.ts.
 */
import * as grafanaData from '@grafana/data';
import { createTheme, DataQueryRequest, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { BackendSrv, BackendSrvRequest, setBackendSrv, setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { Button, GlobalStyles, ThemeContext } from '@grafana/ui';
import React, { useState } from 'react';
import * as ReactNamespace from 'react';
import { createRoot } from 'react-dom/client';
import * as rxjs from 'rxjs';
import type { DataSource } from '../../src/datasource';
import type { plugin as Plugin } from '../../src/module';
import type { PgGovernorOptions, PgGovernorQuery } from '../../src/types';

declare global {
  interface Window {
    define: ((deps: string[], factory: (...modules: unknown[]) => unknown) => void) & { amd: object };
    pgg: { result?: unknown; error?: string; ready?: boolean };
  }
}

const INSTANCE_URL = '/api/datasources/proxy/uid/pgg';
window.pgg = {};

/** Grafana's BackendSrv.fetch, on the browser's fetch: errors carry status and body as Grafana's do. */
function fetchLike(request: BackendSrvRequest) {
  return rxjs.from(
    (async () => {
      const response = await fetch(request.url, {
        method: request.method ?? 'GET',
        headers: request.data !== undefined ? { 'Content-Type': 'application/json' } : {},
        body: request.data !== undefined ? JSON.stringify(request.data) : undefined,
      });
      const text = await response.text();
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      if (!response.ok)
        throw { status: response.status, statusText: response.statusText, data, config: request };
      return {
        data,
        status: response.status,
        statusText: response.statusText,
        ok: true,
        headers: response.headers,
      };
    })(),
  );
}
setBackendSrv({ fetch: fetchLike } as unknown as BackendSrv);
setTemplateSrv({
  getVariables: () => [],
  replace: (text?: string) => text ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => undefined,
} as unknown as TemplateSrv);

const MODULES: Record<string, unknown> = {
  react: ReactNamespace,
  rxjs,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  // The AMD meta-module (SystemJS's `module`) from which the create-plugin bundle takes its public path.
  module: { id: 'pggovernor-postgres-datasource', uri: `${window.location.origin}/dist/module.js` },
};

function loadPlugin(): Promise<typeof Plugin> {
  return new Promise((resolve, reject) => {
    window.define = Object.assign(
      (deps: string[], factory: (...modules: unknown[]) => unknown) => {
        const missing = deps.filter((d) => !(d in MODULES));
        if (missing.length > 0) return reject(new Error(`module.js needs ${missing.join(', ')}`));
        resolve((factory(...deps.map((d) => MODULES[d])) as { plugin: typeof Plugin }).plugin);
      },
      { amd: {} },
    );
    const script = document.createElement('script');
    script.src = '/dist/module.js';
    script.onerror = () => reject(new Error('dist/module.js did not load'));
    document.head.appendChild(script);
  });
}

function Page({ plugin }: { plugin: typeof Plugin }) {
  const ConfigEditor = plugin.components.ConfigEditor!;
  const QueryEditor = plugin.components.QueryEditor!;
  const [options, setOptions] = useState({
    id: 1,
    uid: 'pgg',
    orgId: 1,
    name: 'PG Governor',
    type: 'pggovernor-postgres-datasource',
    typeName: 'PG Governor',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    version: 1,
    // As a compose stack names the backend (its default port): the catalog's screenshot shows it.
    jsonData: { backendUrl: 'http://pg-governor:8765', defaultTarget: 'main' } as PgGovernorOptions,
    secureJsonFields: { apiToken: true },
    secureJsonData: {},
  } as unknown as grafanaData.DataSourceSettings<PgGovernorOptions>);
  const [datasource] = useState(() => {
    const settings = {
      ...options,
      url: INSTANCE_URL,
      meta: { id: 'pggovernor-postgres-datasource', info: { logos: {} } },
    } as unknown as DataSourceInstanceSettings<PgGovernorOptions>;
    return new plugin.DataSourceClass(settings) as unknown as DataSource;
  });
  const [query, setQuery] = useState<PgGovernorQuery>({
    ...(datasource.getDefaultQuery(grafanaData.CoreApp.PanelEditor) as PgGovernorQuery),
    refId: 'A',
  });

  const run = async () => {
    window.pgg.result = undefined;
    const now = Date.now();
    const request = {
      requestId: 'browser',
      app: grafanaData.CoreApp.PanelEditor,
      range: { from: dateTime(now - 15 * 60_000), to: dateTime(now), raw: { from: 'now-15m', to: 'now' } },
      interval: '1s',
      intervalMs: 1000,
      maxDataPoints: 500,
      scopedVars: {},
      targets: [query],
      timezone: 'utc',
      startTime: now,
    } as unknown as DataQueryRequest<PgGovernorQuery>;
    try {
      const response = await datasource.query(request);
      window.pgg.result = {
        errors: response.errors ?? [],
        frames: response.data.map((frame: grafanaData.DataFrame) => ({
          refId: frame.refId,
          length: frame.length,
          fields: frame.fields.map((f) => ({
            name: f.name,
            type: f.type,
            unit: f.config.unit,
            labels: f.labels,
            displayName: grafanaData.getFieldDisplayName(f, frame),
          })),
        })),
      };
    } catch (error) {
      window.pgg.error = String(error);
    }
  };

  return (
    <div style={{ padding: 16, display: 'flex', flexDirection: 'column', gap: 24 }}>
      <section id="config-editor" style={{ width: 900, padding: 8 }}>
        <ConfigEditor options={options} onOptionsChange={setOptions} />
      </section>
      <section id="query-editor" style={{ width: 1400 }}>
        {/* The editor alone, as a panel shows it: what the catalog's screenshot frames. */}
        <div id="query-editor-ui" style={{ padding: 8 }}>
          <QueryEditor
            datasource={datasource}
            query={query}
            onChange={setQuery}
            onRunQuery={() => undefined}
          />
        </div>
        <Button id="run-query" onClick={run}>
          Run query
        </Button>
        <pre id="query-model">{JSON.stringify(query)}</pre>
      </section>
    </div>
  );
}

const theme = createTheme({ colors: { mode: 'dark' } });
loadPlugin().then(
  (plugin) => {
    // Grafana's own global styles (box-sizing, fonts, body colours), as its app renders them: without
    // them a field's input came out wider than its width and covered the next field's label.
    createRoot(document.getElementById('root')!).render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <Page plugin={plugin} />
      </ThemeContext.Provider>,
    );
    window.pgg.ready = true;
  },
  (error: unknown) => {
    window.pgg.error = String(error);
  },
);
