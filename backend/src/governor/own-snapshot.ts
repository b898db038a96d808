import { activityCollector } from '../collectors/activity';
import { collectContext, StatementRunner } from '../collectors/context';
import { CollectorState } from '../collectors/types';
import { Queryable } from '../db/privileges';
import { inspectServer, ServerInfo } from '../db/server-info';
import { ActivitySnapshot, activitySnapshotOf } from './snapshot';

/**
 * The hot snapshot taken on the governor's own held session, for when the monitor cannot see the
 * target (a full server refuses the monitor role; the governor's role may hold a reserved slot, or
 * its connection was open before the server filled up). The very activity collector the hot loop
 * runs (sql/collectors/activity, the same derive), so the decision is the same as on the hot loop's.
 * The exception, never the rule: the governor does not scan pg_stat_activity while the monitor sees.
 */
export class OwnSnapshot {
  private server: ServerInfo | undefined;
  private readonly state: CollectorState = new Map();

  constructor(
    private readonly target: string,
    private readonly session: Queryable & StatementRunner,
    private readonly settings: { queryText: { maxLength: number; redact: boolean }; budgetMs: number },
  ) {}

  async take(now: number): Promise<ActivitySnapshot> {
    try {
      // Identified once per spell of blindness: the monitor's identification may be missing or stale.
      this.server ??= await inspectServer(this.session);
      const context = collectContext({
        client: this.session,
        target: this.target,
        server: this.server,
        state: this.state,
        topN: { statements: 0, relations: 0, indexes: 0 },
        queryText: this.settings.queryText,
        now,
        deadline: now + this.settings.budgetMs,
      });
      const result = await activityCollector.collect(context);
      const snapshot = activitySnapshotOf({
        target: this.target,
        collector: activityCollector.name,
        loop: 'hot',
        time: now,
        samples: result.samples,
        snapshots: result.snapshots ?? [],
      });
      if (!snapshot) throw new Error('the activity collector returned no session snapshot');
      return snapshot;
    } catch (error) {
      this.server = undefined;
      throw error;
    }
  }

  /** The monitor sees again: the next spell identifies the server afresh (it may have restarted). */
  forget(): void {
    this.server = undefined;
  }
}
