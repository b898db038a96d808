import { Logger } from 'pino';
import { instanceName } from '../lib/instance-name';
import { sqlFile } from '../sql/sql-file';

export interface LeaseCheck {
  held: boolean;
  /** Who holds it, when known: this instance, or the holder's governor session on the target. */
  holder?: string;
}

/** held: by this session; other: by another session (another replica's); free: by none; unknown: not checked or unreachable. */
export type LeaseState = 'held' | 'other' | 'free' | 'unknown';

/** One governor acts per target, whatever the number of backend replicas: the holder of its lease. */
export interface GovernorLease {
  /** This process's name in the journal. */
  readonly instance: string;
  /** Whether this instance holds the target's lease, taking it if it is free. Never throws. */
  check(target: string): Promise<LeaseCheck>;
  close(): Promise<void>;
}

/** The part of the governor's session (a pg Pool of one) that the lease uses. */
export interface LeaseSession {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The target's lease, held on the target itself: a session-level advisory lock
 * (sql/governor/lease.sql) on the governor's own held session there, the one its signals go out
 * on. Only one session on the server can hold it, so only one replica acts on a target, whether
 * the history store answers or not; and since every signal re-checks the lock in the same
 * statement (the fence in sql/governor/terminate.sql), a replica whose session was replaced cannot
 * act on the new one until it holds the lock again. The server releases the lock when the session
 * ends (process, host or connection gone; keepalives on that session bound a silent loss), and a
 * standby takes it on its next cycle. Without a governor connection (pool_max 1) there is nothing
 * to act with and nothing to fence: the lease is reported held, so that decisions are journaled.
 */
export class TargetLease implements GovernorLease {
  private unreachable: string | undefined;
  private last: LeaseState = 'unknown';

  /**
   * mayTake: whether the lock may be taken when free (default always): not while this replica
   * cannot renew its ownership of the target in the store, when it may only go on holding it.
   */
  constructor(
    private readonly session: LeaseSession | undefined,
    private readonly log: Logger,
    readonly instance: string = instanceName(),
    private readonly mayTake: () => boolean = () => true,
  ) {}

  /** Whether there is a session to hold the lock on (none when the target allows one connection). */
  get fenced(): boolean {
    return this.session !== undefined;
  }

  /** What the last check found: held here, held by another session, or unknown (not checked, target unreachable). */
  state(): LeaseState {
    return this.last;
  }

  async check(target: string): Promise<LeaseCheck> {
    if (!this.session) return { held: true, holder: this.instance };
    try {
      const { rows } = await this.session.query(sqlFile('governor/lease.sql'), [target, this.mayTake()]);
      const row = rows[0] as { held?: boolean; holder_pid?: number | null } | undefined;
      this.unreachable = undefined;
      const pid = row?.holder_pid;
      this.last = row?.held === true ? 'held' : typeof pid === 'number' ? 'other' : 'free';
      if (row?.held === true) return { held: true, holder: this.instance };
      return {
        held: false,
        ...(typeof pid === 'number' ? { holder: `the governor session of pid ${pid}` } : {}),
      };
    } catch (error) {
      this.last = 'unknown';
      const message = (error as Error).message;
      // Once per reason: while the target is gone this repeats every cycle.
      if (message !== this.unreachable)
        this.log.warn({ target, err: message }, 'governor lease: cannot reach the target; not acting');
      this.unreachable = message;
      return { held: false };
    }
  }

  /** The lock goes with the session, which the executor closes. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Tests: this process is the only governor, no lock is taken. */
export class SoloLease implements GovernorLease {
  constructor(readonly instance: string = instanceName()) {}

  check(): Promise<LeaseCheck> {
    return Promise.resolve({ held: true, holder: this.instance });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
