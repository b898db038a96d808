import { Catalog } from '../../../catalog/catalog';
import { DashboardSpec, UIDS } from '../model';
import { PanelKit } from '../panels';
import { ANY, ARCHIVE_BACKLOG, ARCHIVE_DELAY, REPLICATION_LAG } from '../steps';

const FAILING_MAPPINGS = [
  { value: 0, text: 'no', color: 'green' },
  { value: 1, text: 'failing', color: 'red' },
];

export function walDashboard(catalog: Catalog): DashboardSpec {
  const kit = new PanelKit(catalog, false);
  const perReplica = { legend: '{{replica}} {{kind}}' };
  return {
    uid: UIDS.wal,
    file: 'wal-checkpoints-replication.json',
    title: 'PG Governor / WAL, checkpoints & replication',
    description:
      'WAL generation, checkpoints (requested vs timed), WAL archiving, replica lag in time and bytes, replication slots, logical decoding spill and subscriptions',
    annotationKinds: ['alerts', 'settings_drift'],
    panels: [
      kit.timeseries({ title: 'WAL rate', description: 'WAL bytes generated per second.', w: 12, h: 8 }, [
        kit.series('pg_wal_bytes_per_second', { legend: 'WAL' }),
      ]),
      kit.timeseries(
        {
          title: 'WAL records and full page images',
          description:
            'Many full page images right after checkpoints are normal; all the time: checkpoints too often.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_wal_records_total', { legend: 'records' }),
          kit.series('pg_wal_fpi_total', { legend: 'full page images' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Checkpoints: timed and requested',
          description:
            'Checkpoints per second by cause. Requested ones come from max_wal_size (or CHECKPOINT).',
          w: 8,
          h: 8,
          stack: true,
          draw: 'bars',
        },
        [
          kit.series('pg_checkpoints_timed_total', { legend: 'timed' }),
          kit.series('pg_checkpoints_requested_total', { legend: 'requested' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Requested checkpoint share',
          description: 'Requested share of the checkpoints of the last hour: above 20 %, raise max_wal_size.',
          w: 8,
          h: 8,
          max: 1,
          thresholds: ['green', [0.2, 'red']],
          showThresholds: true,
        },
        [kit.series('pg_checkpoint_requested_ratio', { legend: 'requested share' })],
      ),
      kit.timeseries(
        {
          title: 'Checkpoint write and sync time',
          description: 'Time checkpoints spend writing and syncing, per second of wall time.',
          w: 8,
          h: 8,
        },
        [
          kit.series('pg_checkpoint_write_time_seconds_total', { legend: 'write' }),
          kit.series('pg_checkpoint_sync_time_seconds_total', { legend: 'sync' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Replication lag (time)',
          description: 'Per replica write, flush and replay lag.',
          w: 12,
          h: 8,
          thresholds: REPLICATION_LAG,
          showThresholds: true,
        },
        [kit.series('pg_replication_lag_seconds', perReplica)],
      ),
      kit.timeseries(
        {
          title: 'Replication lag (bytes)',
          description: 'WAL between the primary and what each replica wrote, flushed and replayed.',
          w: 12,
          h: 8,
        },
        [kit.series('pg_replication_lag_bytes', perReplica)],
      ),
      kit.timeseries(
        {
          title: 'WAL retained by slots',
          description: 'WAL each replication slot keeps from removal; an inactive slot keeps it forever.',
          w: 12,
          h: 8,
        },
        [kit.series('pg_replication_slot_retained_wal_bytes', { legend: '{{slot_name}}' })],
      ),
      kit.stat(
        {
          title: 'Replicas and standby state',
          description: 'Replicas streaming from this server; on a standby, its replay lag.',
          w: 12,
          h: 8,
          unit: 'short',
        },
        [
          kit.series('pg_replicas_connected', { legend: 'replicas' }),
          kit.series('pg_replication_is_standby', { legend: 'is standby' }),
          kit.series('pg_standby_replay_lag_seconds', { legend: 'standby replay lag (s)' }),
        ],
      ),
      kit.table({
        title: 'Replicas and slots',
        description:
          'Each replica (state, sync, lags) and each replication slot (active, retained WAL, status).',
        w: 24,
        h: 9,
        table: 'replication',
        orderBy: 'name',
        order: 'asc',
        columnThresholds: { replay_lag_seconds: REPLICATION_LAG },
      }),
      kit.stat(
        {
          title: 'Archiving failing',
          description:
            "Whether the archiver's last attempt failed and a WAL file still waits ('no' also where archive_mode is off, and on a standby whose primary archives).",
          w: 4,
          h: 8,
          unit: 'short',
          thresholds: ANY,
          mappings: FAILING_MAPPINGS,
        },
        [kit.series('pg_archiver_failing', { legend: 'failing' })],
      ),
      kit.timeseries(
        {
          title: 'WAL archived and failed',
          description:
            'WAL files archived and failed archive attempts per second. Failures with nothing archived: no point-in-time recovery past the last archived file.',
          w: 6,
          h: 8,
        },
        [
          kit.series('pg_archiver_archived_total', { legend: 'archived' }),
          kit.series('pg_archiver_failed_total', { legend: 'failed' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'WAL archive backlog',
          description:
            'Finished WAL files waiting for the archiver (.ready). They stay in pg_wal until archived. The lines are the alert levels.',
          w: 7,
          h: 8,
          thresholds: ARCHIVE_BACKLOG,
          showThresholds: true,
        },
        [kit.series('pg_archiver_ready_files', { legend: 'waiting' })],
      ),
      kit.timeseries(
        {
          title: 'WAL archive age',
          description:
            'How long the oldest waiting WAL file has waited (what point-in-time recovery would lose now), and the time since the last success and the last failure. The lines are the alert levels on the oldest waiting file.',
          w: 7,
          h: 8,
          thresholds: ARCHIVE_DELAY,
          showThresholds: true,
        },
        [
          kit.series('pg_archiver_oldest_ready_age_seconds', { legend: 'oldest waiting' }),
          kit.series('pg_archiver_last_archived_age_seconds', { legend: 'since last success' }),
          kit.series('pg_archiver_last_failed_age_seconds', { legend: 'since last failure' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Logical decoding spill and stream',
          description:
            'Per logical slot, bytes of decoded changes spilled to disk (transactions outgrowing logical_decoding_work_mem) and streamed to the consumer in progress instead, per second.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_replication_slot_spill_bytes_total', { legend: '{{slot_name}} spilled' }),
          kit.series('pg_replication_slot_stream_bytes_total', { legend: '{{slot_name}} streamed' }),
        ],
      ),
      kit.timeseries(
        {
          title: 'Subscription errors and conflicts',
          description:
            'Per subscription on this server (the subscriber side), apply and table sync errors per second (PostgreSQL 15+): an apply error stops the subscription until fixed; and conflicts by kind (18+): update_missing and delete_missing are changes skipped, so the subscriber no longer matches the publisher.',
          w: 12,
          h: 8,
        },
        [
          kit.series('pg_subscription_apply_errors_total', { legend: '{{subscription}} apply' }),
          kit.series('pg_subscription_sync_errors_total', { legend: '{{subscription}} sync' }),
          kit.series('pg_subscription_conflicts_total', { legend: '{{subscription}} {{conflict}}' }),
        ],
      ),
      kit.table({
        title: 'Subscriptions',
        description:
          'Logical replication subscriptions of this server: enabled, apply worker running (and for how long not), the last message from the publisher, tables by sync state, errors.',
        w: 24,
        h: 8,
        table: 'subscriptions',
        orderBy: 'subscription',
        order: 'asc',
      }),
    ],
  };
}
