import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** hostname:pid:random: tells replicas apart (in the store's ownership of targets, in the journal). */
export function instanceName(): string {
  return `${hostname().slice(0, 28)}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
