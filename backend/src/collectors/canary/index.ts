import { performance } from 'node:perf_hooks';
import { canaryDefinition } from '../../catalog/collectors/canary';
import { Collector } from '../types';
import { deriveCanary } from './derive';

/** SQLSTATE query_canceled: the statement timeout (or a DBA) cut the statement. */
const QUERY_CANCELED = '57014';

interface Timed<Row> {
  seconds: number;
  rows?: Row[];
  /** Why the statement was cut, when it was. */
  cancelled?: string;
}

/**
 * Wall-clock time around one statement. A statement the timeout cut still measured something (at
 * least that long): the time is kept and the cut reported; any other error fails the collector.
 */
async function timed<Row>(run: () => Promise<Row[]>): Promise<Timed<Row>> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const rows = await run();
    return { seconds: seconds(), rows };
  } catch (error) {
    if ((error as { code?: unknown }).code !== QUERY_CANCELED) throw error;
    return { seconds: seconds(), cancelled: (error as Error).message };
  }
}

const cut = (what: string, timing: Timed<unknown>) =>
  `canary ${what} cut after ${Math.round(timing.seconds * 1000)} ms: ${timing.cancelled ?? ''}`;

export const canaryCollector: Collector = {
  ...canaryDefinition,
  async collect(context) {
    const select = await timed(() => context.query('canary-roundtrip'));
    if (select.cancelled !== undefined)
      return { samples: deriveCanary({ roundtripSeconds: select.seconds }), error: cut('SELECT 1', select) };
    const explain = await timed(() => context.query<{ 'QUERY PLAN': unknown }>('canary-explain'));
    const samples = deriveCanary({
      roundtripSeconds: select.seconds,
      explainSeconds: explain.seconds,
      plan: explain.rows?.[0]?.['QUERY PLAN'],
    });
    return explain.cancelled === undefined ? { samples } : { samples, error: cut('EXPLAIN', explain) };
  },
};
