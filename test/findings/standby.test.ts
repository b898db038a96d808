import { Client } from 'pg';
import { replicationCollector } from '../../backend/src/collectors/replication';
import { xminHorizonCollector } from '../../backend/src/collectors/xmin-horizon';
import { eventually } from '../support/backend-process';
import { majorsUnderTest, startPostgres, TestPostgres } from '../support/postgres';
import { startReplica } from '../support/replica';
import { burnXids, createMonitorRole, FindingsKit } from './findings-kit';

/**
 * A standby with hot_standby_feedback holds the primary's horizon back with its own queries:
 * through its slot (the slot's xmin), then without one (its WAL sender's xmin). The xmin_horizon
 * finding names the slot and the standby; ending the standby's transaction and dropping the slot
 * its remediation proposes release the primary.
 */
jest.setTimeout(180_000);

describe.each(majorsUnderTest())('findings on standby feedback, PostgreSQL %i', (major) => {
  let primary: TestPostgres;
  let standby: TestPostgres;
  let reader: Client | undefined;

  beforeAll(async () => {
    primary = await startPostgres({ major, maxConnections: 30 });
    await createMonitorRole(primary);
    standby = await startReplica(primary, { applicationName: 'replica1', slotName: 'replica1_slot' });
    await standby.query('ALTER SYSTEM SET hot_standby_feedback = on');
    await standby.query('ALTER SYSTEM SET wal_receiver_status_interval = 1');
    await standby.query('SELECT pg_reload_conf()');
  });

  afterAll(async () => {
    await reader?.end().catch(() => undefined);
    await standby?.destroy();
    await primary?.destroy();
  });

  it('names the slot, then the slot-less standby, holding the horizon back with a query on the standby', async () => {
    const kit = new FindingsKit(primary, { xmin_horizon: { warning_xid_age: 50 } });
    reader = new Client({ connectionString: standby.superuserUrl });
    reader.on('error', () => undefined);
    await reader.connect();
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM pg_class');
    await burnXids(primary, 120);

    const heldBy = async (key: string) => {
      await kit.observe(xminHorizonCollector, replicationCollector);
      return kit.open('xmin_horizon').find((f) => f.key === key);
    };
    const viaSlot = await eventually(
      () => heldBy('replication_slot'),
      30_000,
      'the slot holding the horizon',
    );
    expect(viaSlot.object).toMatchObject({ type: 'replication_slot', name: 'replica1_slot' });
    expect(viaSlot.title).toMatch(/streamed to replica1/);
    // An active slot: nothing to drop, the consumer is what to fix.
    expect(viaSlot.remediation.statements).toEqual([]);

    // The standby reconnects without its slot: its WAL sender carries the feedback now.
    await standby.query("ALTER SYSTEM SET primary_slot_name = ''");
    await standby.query('SELECT pg_reload_conf()');
    const viaFeedback = await eventually(() => heldBy('standby_feedback'), 30_000, 'the standby feedback');
    expect(viaFeedback.object).toMatchObject({ type: 'standby', name: 'replica1' });
    expect(viaFeedback.remediation.steps.join(' ')).toMatch(/hot_standby_feedback/);
    // The slot left behind keeps its xmin, inactive now.
    const slot = await eventually(
      async () => kit.open('inactive_replication_slot').find((f) => f.object.name === 'replica1_slot'),
      30_000,
      'the abandoned slot',
    );

    await reader.query('COMMIT');
    await kit.remediate(slot);
    await burnXids(primary, 10);
    await eventually(
      async () => {
        await kit.observe(xminHorizonCollector, replicationCollector);
        return kit.open('xmin_horizon').length === 0 ? true : undefined;
      },
      30_000,
      'the horizon released',
    );
  });
});
