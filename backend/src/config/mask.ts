import { Config } from './schema';

const MASK = '***';

/** A connection string with its password (in the authority or as a parameter) replaced. */
export function maskDsn(dsn: string): string {
  try {
    const url = new URL(dsn);
    if (url.password) url.password = MASK;
    for (const key of ['password', 'sslpassword'])
      if (url.searchParams.has(key)) url.searchParams.set(key, MASK);
    return url.toString();
  } catch {
    // Not a URL (then it failed validation anyway): keep nothing that could be a secret.
    return MASK;
  }
}

/** The effective configuration, safe to print or log. */
export function maskConfig(config: Config): Config {
  return {
    ...config,
    targets: config.targets.map((t) => ({
      ...t,
      dsn: maskDsn(t.dsn),
      governorDsn: maskDsn(t.governorDsn),
      ...(t.pgbouncer ? { pgbouncer: { dsn: maskDsn(t.pgbouncer.dsn) } } : {}),
    })),
    store: config.store.url ? { ...config.store, url: maskDsn(config.store.url) } : config.store,
    auth: {
      ...config.auth,
      read_tokens: config.auth.read_tokens.map(() => MASK),
      admin_tokens: config.auth.admin_tokens.map(() => MASK),
    },
  };
}
