import { createHash, timingSafeEqual } from 'node:crypto';

export type Access = 'open' | 'read' | 'admin';

export interface AuthSettings {
  readTokens: string[];
  adminTokens: string[];
  /** /metrics needs a token too. */
  protectMetrics: boolean;
}

/** Digests have one length whatever the token's, so timingSafeEqual applies and leaks no length. */
const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * The configured bearer tokens, kept as digests only. A presented token is compared with every
 * configured one in constant time (no early exit), so the answer time says nothing about how
 * close a guess came or which list matched.
 */
export class TokenSet {
  private readonly read: Buffer[];
  private readonly admin: Buffer[];

  constructor(settings: Pick<AuthSettings, 'readTokens' | 'adminTokens'>) {
    this.read = settings.readTokens.map(digest);
    this.admin = settings.adminTokens.map(digest);
  }

  /** No token configured: the API is open (and the config binds it to 127.0.0.1). */
  get open(): boolean {
    return this.read.length === 0 && this.admin.length === 0;
  }

  /** What a presented token grants: 'admin' (which includes read), 'read', or nothing. */
  grant(token: string): 'admin' | 'read' | undefined {
    const presented = digest(token);
    let admin = false;
    let read = false;
    for (const d of this.admin) admin = timingSafeEqual(d, presented) || admin;
    for (const d of this.read) read = timingSafeEqual(d, presented) || read;
    return admin ? 'admin' : read ? 'read' : undefined;
  }
}

const BEARER = /^Bearer[ \t]+(\S{1,4096})[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return BEARER.exec(header)?.[1];
}
