/** The two log levels the workload uses; a pino Logger fits. */
export interface WorkloadLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Message of anything thrown, for a log field (pg errors carry their text in message). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
