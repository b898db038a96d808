import { TestDataSourceResponse } from '@grafana/data';
import type { Overview, ReadinessReport } from '@pg-governor/contract';
import { BackendApi, describeFetchError, fetchStatus } from './api';

const names = (targets: { name: string }[]) =>
  targets.length === 0
    ? 'no targets'
    : `${targets.length} target(s): ${targets.map((t) => t.name).join(', ')}`;

/**
 * "Save & test": the token is checked with an authenticated call (the overview, which also
 * names the version and targets), then /readyz says whether anything is degraded and why.
 */
export async function checkHealth(api: BackendApi): Promise<TestDataSourceResponse> {
  let overview: Overview;
  try {
    overview = await api.get<Overview>('/api/v1/overview');
  } catch (error) {
    return { status: 'error', message: describeFetchError(error) };
  }
  let ready: ReadinessReport | undefined;
  try {
    ready = await api.get<ReadinessReport>('/readyz');
  } catch (error) {
    // 503 is how /readyz says "not ready"; its body names the problems.
    if (fetchStatus(error) === 503) ready = (error as { data: ReadinessReport }).data;
    else return { status: 'error', message: `/readyz: ${describeFetchError(error)}` };
  }
  const head = `PG Governor ${overview.version}, ${names(overview.targets)}`;
  if (ready?.status === 'ready') return { status: 'success', message: `Connected to ${head}` };
  const reasons = ready?.problems?.length ? ready.problems.join('; ') : 'no reason given';
  return { status: 'error', message: `${head}: the backend is degraded: ${reasons}` };
}
