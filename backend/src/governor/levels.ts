import { GovernorSettings } from '../config/schema';

/** Pressure on connections, from usage against the thresholds. */
export type Level = 'normal' | 'warn' | 'optimize' | 'critical';

/** pgg_governor_level's value. */
export const LEVEL_VALUE: Readonly<Record<Level, number>> = { normal: 0, warn: 1, optimize: 2, critical: 3 };

export function levelOf(usage: number, thresholds: GovernorSettings['thresholds']): Level {
  if (usage >= thresholds.critical) return 'critical';
  if (usage >= thresholds.optimize) return 'optimize';
  if (usage >= thresholds.warn) return 'warn';
  return 'normal';
}

export const atLeast = (level: Level, than: Level): boolean => LEVEL_VALUE[level] >= LEVEL_VALUE[than];

/** The most client backends whose usage stays below the threshold: where shedding stops. */
export function mostBelow(threshold: number, usable: number): number {
  let n = Math.max(0, Math.ceil(threshold * usable) - 1);
  // Float rounding (0.85 * 100 is not exactly 85): settle on the exact boundary.
  while (n > 0 && n / usable >= threshold) n -= 1;
  while ((n + 1) / usable < threshold) n += 1;
  return n;
}
