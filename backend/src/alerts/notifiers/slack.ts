import { Transition } from '../evaluator';

const ICON = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' };

/** The message of a transition, Slack mrkdwn. */
export function slackMessage(t: Transition): { text: string } {
  const head =
    t.to === 'resolved'
      ? `:white_check_mark: *[RESOLVED] ${t.alertname}*`
      : `${ICON[t.severity]} *[${t.severity.toUpperCase()}] ${t.alertname}*${t.previousSeverity ? ` (was ${t.previousSeverity})` : ''}`;
  const where = t.labels.target ? ` on ${t.labels.target}` : '';
  return { text: `${head}${where}\n${t.summary}\n${t.to === 'resolved' ? '' : t.description}`.trimEnd() };
}
