/**
 * A failure that repeats every few seconds is worth one log line, not one a try: first() is true
 * for a message other than the last one seen, and ok() forgets it (the next failure is new again).
 */
export class RepeatFilter {
  private last: string | undefined;

  first(message: string): boolean {
    const isNew = message !== this.last;
    this.last = message;
    return isNew;
  }

  ok(): void {
    this.last = undefined;
  }
}
