/**
 * Why a target's governor is in its mode: the configuration, or an operator through the API (kept
 * in the store, winning over the configuration until an operator clears it).
 */
export type ModeOrigin = { source: 'configured' } | { source: 'operator'; by: string; at: number };

export const CONFIGURED: ModeOrigin = { source: 'configured' };

/** For people: "configured", or "set by <who> at <time>". */
export function describeOrigin(origin: ModeOrigin): string {
  return origin.source === 'configured'
    ? 'configured'
    : `set by ${origin.by} at ${new Date(origin.at).toISOString()}`;
}
