import { Client } from 'pg';

const END_TIMEOUT_MS = 2_000;

/**
 * Ends a client whatever state it is in (never connected, broken, mid-query), never throws, and
 * never waits longer than END_TIMEOUT_MS: `end()` awaits the socket's close, which a half-dead
 * connection may never deliver.
 */
export async function closeClient(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, END_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.end().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
