import { Logger } from 'pino';
import { Observation } from './types';

export type Consumer = (observation: Observation) => void | Promise<void>;

/**
 * Fan-out of observations to independent consumers (exporter, store writer, alert engine,
 * governor). Each consumer is isolated: one that throws or is slow never stops or delays the
 * others, and never the collection loop (async work is not awaited here).
 */
export class ObservationBus {
  private readonly consumers: { name: string; consume: Consumer }[] = [];

  constructor(private readonly log: Logger) {}

  subscribe(name: string, consume: Consumer): void {
    this.consumers.push({ name, consume });
  }

  publish(observation: Observation): void {
    for (const { name, consume } of this.consumers) {
      try {
        const pending = consume(observation);
        if (pending) pending.catch((error: unknown) => this.failed(name, observation, error));
      } catch (error) {
        this.failed(name, observation, error);
      }
    }
  }

  private failed(consumer: string, observation: Observation, error: unknown): void {
    this.log.error(
      { consumer, target: observation.target, collector: observation.collector, err: error },
      'observation consumer failed',
    );
  }
}
