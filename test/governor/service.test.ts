import { BackendProcess, eventually } from '../support/backend-process';
import { NEWEST_MAJOR, startPostgres, TestPostgres } from '../support/postgres';
import {
  clientBackends,
  EXPECTED_VICTIMS,
  livePids,
  MAX_CONNECTIONS,
  nonClientPids,
  Population,
  prepareTarget,
  PROTECTED_COUNT,
  standardPopulation,
  USABLE,
  waitForSessionOf,
} from './governor-kit';
import {
  ADMIN_TOKEN,
  metricOf,
  metrics,
  READ_TOKEN,
  settledTerminations,
  signalledPids,
  startGovernedBackend,
  storedEvents,
} from './service-kit';

/**
 * The whole service end to end (the built backend as a child process, a real target, a real
 * external store): in dry-run it journals what it would do on a saturated server and does
 * nothing; the mode is switched to enforce through the API with the admin token (journaled with
 * who and when); then it brings usage below the optimize threshold, in priority order, never
 * touching a protected session. One major (the newest): the decisions on every major are
 * covered by decisions.test.ts; this is about the wiring.
 */
jest.setTimeout(180_000);

describe(`the governor in the running service (PostgreSQL ${NEWEST_MAJOR})`, () => {
  let target: TestPostgres;
  let store: TestPostgres;
  let backend: BackendProcess | undefined;
  let url: string;
  let population: Population | undefined;

  beforeAll(async () => {
    [target, store] = await Promise.all([
      startPostgres({ maxConnections: MAX_CONNECTIONS }),
      startPostgres({ maxConnections: 40 }),
    ]);
    await prepareTarget(target);
    ({ backend, url } = await startGovernedBackend(target, store, 'dry-run'));
    await waitForSessionOf(target, 'pgg_governor');
    await waitForSessionOf(target, 'pgg_monitor');
  });

  afterAll(async () => {
    await backend?.stop('SIGKILL');
    await population?.close(target);
    await Promise.all([target?.destroy(), store?.destroy()]);
  });

  const postMode = (body: unknown, token?: string) =>
    fetch(`${url}/api/v1/governor/main/mode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-grafana-user': 'alice',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  it('dry-run on a saturated server: journals what it would terminate, terminates nothing', async () => {
    // The backend's own connections plus ours fill the server to all but one slot (critical: >= 0.95).
    // Its steady ones: a second collector connection opened by overlapping loops closes as soon as
    // it is released, so the fewest seen over a moment, not one reading during an overlap.
    const readings: number[] = [];
    for (let i = 0; i < 6; i++) {
      readings.push(await clientBackends(target));
      await new Promise((r) => setTimeout(r, 300));
    }
    const own = Math.min(...readings);
    const active = USABLE - 1 - own - PROTECTED_COUNT - 4;
    expect(active).toBeGreaterThan(0);
    population = await Population.open(target, standardPopulation(active));
    const pop = population;

    const decision = await eventually(
      async () => {
        const events = await storedEvents(store, 'governor_decision');
        return events.find((e) => e.data.mode === 'dry-run' && e.data.level === 'critical');
      },
      30_000,
      'a dry-run decision at the critical level',
    );
    const chosen = (decision.data.chosen as { pid: number }[]).map((c) => pop.labelOf(c.pid));
    expect(chosen.length).toBeGreaterThanOrEqual(4);
    expect(chosen).toEqual(EXPECTED_VICTIMS.slice(0, chosen.length));
    const exposition = await eventually(
      async () => {
        const text = await metrics(url);
        return (metricOf(text, 'pgg_governor_would_act_total', { target: 'main', action: 'terminate' }) ??
          0) > 0
          ? text
          : undefined;
      },
      10_000,
      'pgg_governor_would_act_total',
    );
    expect(metricOf(exposition, 'pgg_governor_mode', { target: 'main', mode: 'dry-run' })).toBe(1);
    expect(metricOf(exposition, 'pgg_governor_level', { target: 'main' })).toBe(3);
    expect(metricOf(exposition, 'pgg_governor_actions_total', { target: 'main' })).toBeUndefined();
    const live = await livePids(target);
    for (const s of pop.sessions) expect(live.has(s.pid)).toBe(true);
    expect(await storedEvents(store, 'intervention')).toEqual([]);
  });

  it('changes mode only with the admin token, and journals who and when', async () => {
    expect((await postMode({ mode: 'enforce' })).status).toBe(401);
    expect((await postMode({ mode: 'enforce' }, READ_TOKEN)).status).toBe(403);
    expect((await postMode({ mode: 'enforce' }, 'not-a-configured-token-0123')).status).toBe(401);
    const bad = await postMode({ mode: 'terminate-everything' }, ADMIN_TOKEN);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^mode: /);

    const before = Date.now();
    const response = await postMode({ mode: 'enforce', reason: 'INC-7' }, ADMIN_TOKEN);
    expect(response.status).toBe(200);
    const change = (await response.json()) as Record<string, unknown>;
    expect(change).toMatchObject({ target: 'main', mode: 'enforce', previous: 'dry-run', changed: true });
    expect(change.by).toMatch(
      /^admin token sha256:[0-9a-f]{8} from 127\.0\.0\.1, Grafana user "alice" \(claimed by the Grafana proxy\) \(reason: INC-7\)$/,
    );
    expect(Date.parse(String(change.at))).toBeGreaterThanOrEqual(before - 1000);

    const journaled = await eventually(
      async () =>
        (await storedEvents(store, 'governor_decision')).find(
          (e) => e.data.mode === 'enforce' && e.data.previous === 'dry-run',
        ),
      10_000,
      'the mode change in the store',
    );
    expect(journaled.data.who).toBe(change.by);
    expect(JSON.stringify(journaled)).not.toContain(ADMIN_TOKEN);
    expect(journaled.ts.getTime()).toBe(Date.parse(String(change.at)));
    // And as an annotation, for Grafana (read token).
    const from = new Date(before - 60_000).toISOString();
    const annotations = (await (
      await fetch(`${url}/api/v1/annotations?from=${from}&to=${Date.now() + 60_000}&target=main`, {
        headers: { authorization: `Bearer ${READ_TOKEN}` },
      })
    ).json()) as { title: string }[];
    expect(annotations.map((a) => a.title)).toContain(
      'Governor mode on main: dry-run -> enforce (by ' + String(change.by) + ')',
    );
  });

  it('enforce: brings usage below optimize, in priority order, never a protected session', async () => {
    const pop = population as Population;
    const nonClients = await nonClientPids(target);
    const acted = await settledTerminations(url);
    expect(acted).toBeGreaterThanOrEqual(4);
    // Every action is journaled: the store has them all once the writer has flushed.
    const signalled = await eventually(
      async () => {
        const done = await signalledPids(store);
        return done.length === acted ? done : undefined;
      },
      10_000,
      'the interventions in the store',
    );
    const labels = signalled.map((s) => pop.labelOf(s.pid));
    // Idle, then idle in transaction, then active, longest first: the population's unprotected
    // sessions in the order they were opened.
    const priorityOrder = pop.sessions.slice(PROTECTED_COUNT).map((s) => s.label);
    expect(priorityOrder.slice(0, EXPECTED_VICTIMS.length)).toEqual(EXPECTED_VICTIMS);
    expect(labels).toEqual(priorityOrder.slice(0, labels.length));
    expect(new Set(signalled.map((s) => s.instance)).size).toBe(1);
    const live = await livePids(target);
    for (const s of pop.sessions.filter((s) => !labels.includes(s.label)))
      expect([s.label, live.has(s.pid)]).toEqual([s.label, true]);
    for (const pid of nonClients) expect(live.has(pid)).toBe(true);
    // The governor's and the collectors' sessions are still there too.
    expect(await clientBackends(target)).toBeGreaterThan(pop.sessions.length - labels.length);

    const exposition = await metrics(url);
    expect(
      metricOf(exposition, 'pgg_governor_actions_total', {
        target: 'main',
        action: 'terminate',
        result: 'signalled',
      }),
    ).toBe(labels.length);
    expect(metricOf(exposition, 'pgg_governor_circuit_state', { target: 'main' })).toBe(0);
    expect(metricOf(exposition, 'pgg_governor_mode', { target: 'main', mode: 'enforce' })).toBe(1);
    // No pid, user or application as a label of any governor series.
    const governorLines = exposition.split('\n').filter((l) => l.startsWith('pgg_governor_'));
    expect(governorLines.length).toBeGreaterThan(0);
    for (const line of governorLines) expect(line).not.toMatch(/pid=|usename=|user=|application=|app_user/);
  });
});
