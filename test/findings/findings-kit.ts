import { Client } from 'pg';
import pino from 'pino';
import { FINDING_KINDS } from '../../backend/src/catalog/findings';
import { LatestObservations } from '../../backend/src/collectors/latest-observations';
import { Collector, CollectorState, Observation } from '../../backend/src/collectors/types';
import { FindingsConfig } from '../../backend/src/config/findings-schema';
import { CHECKS } from '../../backend/src/findings/checks';
import { FindingsEngine } from '../../backend/src/findings/engine';
import { FindingRecord } from '../../backend/src/findings/types';
import { CollectorStatus } from '../../backend/src/scheduler/loop-runner';
import { StoredEvent } from '../../backend/src/store/types';
import { eventually } from '../support/backend-process';
import { collectOnce } from '../support/collect';
import { TestPostgres } from '../support/postgres';

export const TARGET = 'findings-test';
export const MONITOR = { user: 'pgg_monitor', password: 'monitor-pw-findings' };

/** Thresholds per kind for a test: merged over each kind's defaults. */
export type Thresholds = Record<string, Record<string, number | boolean | string[]>>;

/**
 * The findings engine as the service runs it, fed by real collector cycles on a real server (as
 * the pg_monitor role, as in production): what the loops would publish, recorded into the latest
 * observations and handed to the engine. Collector state is kept between cycles (counters, deltas).
 */
export class FindingsKit {
  readonly latest = new LatestObservations();
  readonly events: StoredEvent[] = [];
  readonly engine: FindingsEngine;
  private readonly statuses = new Map<string, CollectorStatus>();
  private readonly states = new Map<string, CollectorState>();

  constructor(
    private readonly pg: TestPostgres,
    thresholds: Thresholds = {},
    /** The database the collectors connect to (the target's). */
    private readonly database = 'postgres',
  ) {
    const config: FindingsConfig = {};
    for (const kind of FINDING_KINDS) {
      const defaults = Object.fromEntries(Object.entries(kind.params).map(([n, p]) => [n, p.default]));
      config[kind.id] = { enabled: true, ignore: [], ...defaults, ...thresholds[kind.id] };
    }
    this.engine = new FindingsEngine({
      kinds: FINDING_KINDS,
      checks: CHECKS,
      config,
      latest: this.latest,
      collectorStatus: (_target, collector) => this.statuses.get(collector),
      targets: () => [TARGET],
      events: { writeEvent: (e) => this.events.push(e) },
      log: pino({ level: 'silent' }),
      serverMajor: () => pg.major,
    });
  }

  /** The collector role's URL (pg_monitor). */
  get monitorUrl(): string {
    return monitorUrl(this.pg, this.database);
  }

  /** One cycle of each collector, published to the engine in turn. */
  async observe(...collectors: Collector[]): Promise<void> {
    for (const collector of collectors) {
      let state = this.states.get(collector.name);
      if (!state) this.states.set(collector.name, (state = new Map()));
      const result = await collectOnce(this.monitorUrl, collector, { state, target: TARGET });
      const observation: Observation = {
        target: TARGET,
        collector: collector.name,
        loop: collector.loop,
        time: Date.now(),
        samples: result.samples,
        snapshots: result.snapshots ?? [],
      };
      this.latest.record(observation);
      this.statuses.set(collector.name, {
        name: collector.name,
        state: 'ok',
        lastSuccessAt: observation.time,
      });
      this.engine.consume(observation);
    }
  }

  /**
   * Cycles of the collectors until `until` gives a value (neither undefined nor false), which it
   * resolves with; fails after the timeout naming `what`.
   */
  async observeUntil<T>(
    collectors: Collector | Collector[],
    until: () => T | false | undefined,
    what: string,
    timeoutMs = 15_000,
  ): Promise<Exclude<T, false>> {
    const list = Array.isArray(collectors) ? collectors : [collectors];
    return eventually(
      async () => {
        await this.observe(...list);
        const value = until();
        return value === false ? undefined : (value as Exclude<T, false>);
      },
      timeoutMs,
      what,
    );
  }

  open(kind: string): FindingRecord[] {
    return this.engine.findings({ kinds: [kind], state: ['open'] });
  }

  resolved(kind: string): FindingRecord[] {
    return this.engine.findings({ kinds: [kind], state: ['resolved'] });
  }

  /** Runs a finding's remediation statement as the superuser would (PG Governor itself never does). */
  async remediate(finding: FindingRecord | undefined, index = 0): Promise<void> {
    const statement = finding?.remediation.statements[index];
    if (!statement) throw new Error(`no remediation statement ${index} in ${JSON.stringify(finding)}`);
    await this.pg.query(statement);
  }
}

/** A session of its own that the test keeps open (a holder, a blocker), ended in afterAll. */
export async function session(
  pg: TestPostgres,
  sessions: Client[],
  application = 'findings-test',
): Promise<Client> {
  const client = new Client({ connectionString: pg.superuserUrl, application_name: application });
  client.on('error', () => undefined);
  await client.connect();
  sessions.push(client);
  return client;
}

/** Consumes transaction IDs (one committed transaction each), so that held xmins age. */
export async function burnXids(pg: TestPostgres, count: number): Promise<void> {
  await pg.query(
    `DO $$ BEGIN FOR i IN 1..${Math.trunc(count)} LOOP PERFORM txid_current(); COMMIT; END LOOP; END $$`,
  );
}

/** The URL of the pg_monitor role the collectors run as. */
export function monitorUrl(pg: TestPostgres, database = 'postgres'): string {
  return pg.url(database, MONITOR.user, MONITOR.password);
}

/** The pg_monitor role the collectors run as, created once per server. */
export async function createMonitorRole(pg: TestPostgres): Promise<void> {
  await pg.createRole(MONITOR.user, { password: MONITOR.password, grants: ['pg_monitor'] });
}
