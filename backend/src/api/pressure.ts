/**
 * When the process is overloaded, API requests get a quick 503 (with Retry-After) instead of
 * queueing until everything times out. Probes stay outside so that the supervisor sees the truth.
 */
export interface PressureSettings {
  /** Mean event-loop delay over a sample interval beyond which requests are refused. */
  maxEventLoopDelayMs: number;
  /** Resident memory beyond which requests are refused: below the memory guard's exit threshold. */
  maxRssBytes: number;
  retryAfterSeconds: number;
}

/** Shed load at 90 % of memory.limit_mb: the memory guard calls 85 % degraded and exits above 100 %. */
const RSS_SHARE = 0.9;

export function pressureSettings(memoryLimitMb: number, maxEventLoopDelayMs = 1000): PressureSettings {
  return {
    maxEventLoopDelayMs,
    maxRssBytes: Math.floor(memoryLimitMb * 1048576 * RSS_SHARE),
    retryAfterSeconds: 5,
  };
}

export function underPressureOptions(settings: PressureSettings) {
  return {
    maxEventLoopDelay: settings.maxEventLoopDelayMs,
    maxRssBytes: settings.maxRssBytes,
    retryAfter: settings.retryAfterSeconds,
    message: 'the backend is overloaded; retry shortly',
    exposeStatusRoute: false,
  };
}
