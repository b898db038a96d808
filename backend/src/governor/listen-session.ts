import { GovernedSession } from './snapshot';

const LEADING_COMMENTS_AND_SPACE = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

/**
 * A session that waits for notifications: its last statement (pg_stat_activity.query) is LISTEN.
 * Terminating it silently drops the notifications it would have received.
 *
 * Limits: pg_stat_activity keeps only the last statement, so a listener that ran anything after
 * LISTEN (or sent it inside a multi-statement string after another statement) is not recognised;
 * nor is one whose text the role cannot see (no pg_read_all_stats) or whose text was cut to
 * query_text.max_length before the keyword. Protect such applications by name.
 */
export function isListenSession(session: GovernedSession): boolean {
  if (session.query === null) return false;
  return /^LISTEN\b/i.test(session.query.replace(LEADING_COMMENTS_AND_SPACE, ''));
}
