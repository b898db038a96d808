import { BackendProcess, eventually } from '../support/backend-process';
import { startPostgres, TestPostgres } from '../support/postgres';
import { MAX_CONNECTIONS, prepareTarget, waitForSessionOf } from './governor-kit';
import { ADMIN_TOKEN, metricOf, metrics, startGovernedBackend, storedEvents } from './service-kit';

/**
 * POST /api/v1/governor/:target/mode through the real backend process and an external store: the
 * answer comes once the mode and its journal event are durable (a kill -9 right after the 200
 * loses neither), the operator's mode is in force again after a restart over the configured one
 * until mode "configured" clears it, a store that cannot record it is a 503 that changes nothing,
 * and the journal marks the Grafana user as claimed by the proxy, beside the token's identity.
 */
describe('governor mode set through the API', () => {
  let target: TestPostgres;
  let store: TestPostgres;
  let backend: BackendProcess | undefined;
  let url: string;

  beforeAll(async () => {
    [target, store] = await Promise.all([
      startPostgres({ maxConnections: MAX_CONNECTIONS }),
      startPostgres({ maxConnections: 40 }),
    ]);
    await prepareTarget(target);
  });
  afterAll(async () => {
    await backend?.stop('SIGKILL');
    await Promise.all([target?.destroy(), store?.destroy()]);
  });

  const setMode = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/api/v1/governor/main/mode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const modeMetrics = async () => {
    const text = await metrics(url);
    return {
      observe: metricOf(text, 'pgg_governor_mode', { target: 'main', mode: 'observe' }),
      enforce: metricOf(text, 'pgg_governor_mode', { target: 'main', mode: 'enforce' }),
      override: metricOf(text, 'pgg_governor_mode_override', { target: 'main' }),
    };
  };
  const modeEvents = async () =>
    (await storedEvents(store, 'governor_decision')).filter((e) => e.title.startsWith('Governor mode'));

  it('is durable when it answers, survives kill -9 and a restart, and clears with "configured"', async () => {
    ({ backend, url } = await startGovernedBackend(target, store, 'enforce'));
    await waitForSessionOf(target, 'pgg_governor');
    expect(await modeMetrics()).toEqual({ observe: 0, enforce: 1, override: 0 });

    const answer = await setMode({ mode: 'observe', reason: 'INC-7' }, { 'x-grafana-user': 'alice' });
    await backend.stop('SIGKILL');
    expect(answer).toMatchObject({
      status: 200,
      body: { target: 'main', mode: 'observe', previous: 'enforce', changed: true, source: 'operator' },
    });
    const [stored] = await modeEvents();
    expect(stored?.title).toMatch(/^Governor mode on main: enforce -> observe \(by admin token/);
    // The token (verified) first; the Grafana user only as what the proxy claims.
    expect(stored?.data.who).toMatch(
      /^admin token sha256:[0-9a-f]{8} from 127\.0\.0\.1, Grafana user "alice" \(claimed by the Grafana proxy\) \(reason: INC-7\)$/,
    );
    expect(stored?.data).toMatchObject({ mode: 'observe', source: 'operator', configured: 'enforce' });

    // The configuration still says enforce: the operator's observe wins, from the moment it governs
    // the target (once the killed instance's ownership of it has run out: replicas.lease_ms).
    ({ backend, url } = await startGovernedBackend(target, store, 'enforce'));
    await eventually(
      async () =>
        metricOf(await metrics(url), 'pgg_target_owned', { target: 'main' }) === 1 ? true : undefined,
      20_000,
      'the target taken over from the killed instance',
    );
    expect(await modeMetrics()).toEqual({ observe: 1, enforce: 0, override: 1 });
    const restored = await eventually(
      async () => (await modeEvents()).find((e) => e.title.includes('restored at start')),
      15_000,
      'the journal event of the restored mode',
    );
    expect(restored.title).toMatch(/^Governor mode on main: observe \(set by admin token .* at \d{4}-/);
    expect(restored.data).toMatchObject({ mode: 'observe', source: 'operator', configured: 'enforce' });

    const cleared = await setMode({ mode: 'configured' });
    expect(cleared).toMatchObject({
      status: 200,
      body: { mode: 'enforce', previous: 'observe', changed: true, source: 'configured' },
    });
    expect(await modeMetrics()).toEqual({ observe: 0, enforce: 1, override: 0 });
    expect(await store.query('SELECT target FROM governor_modes')).toEqual([]);
    expect((await modeEvents()).at(-1)?.data).toMatchObject({ mode: 'enforce', source: 'configured' });
  });

  it('answers 503 and changes nothing when the store cannot record the change', async () => {
    if (!backend || backend.child.exitCode !== null)
      ({ backend, url } = await startGovernedBackend(target, store, 'enforce'));
    const before = (await modeEvents()).length;
    await store.query(`
      CREATE FUNCTION refuse_mode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'no mode today' USING ERRCODE = '23514'; END $$;
      CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON governor_modes
        FOR EACH ROW EXECUTE FUNCTION refuse_mode();`);
    try {
      const refused = await setMode({ mode: 'observe' });
      expect(refused.status).toBe(503);
      expect(refused.body.message).toMatch(/^mode: not changed, .*stays in enforce/);
      expect(await modeMetrics()).toEqual({ observe: 0, enforce: 1, override: 0 });
      expect(await modeEvents()).toHaveLength(before);
    } finally {
      await store.query('DROP TRIGGER refuse ON governor_modes; DROP FUNCTION refuse_mode()');
    }
    expect((await setMode({ mode: 'observe' })).status).toBe(200);
    expect(await modeMetrics()).toEqual({ observe: 1, enforce: 0, override: 1 });
  });
});
