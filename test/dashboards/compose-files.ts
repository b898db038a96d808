import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './dashboard-files';

/** docker-compose.yml and .env.example, parsed, with compose's variable substitution. */

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  read_only?: boolean;
  tmpfs?: string[];
}

export const readRepoFile = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

export const compose = () =>
  parse(readRepoFile('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };

/** .env.example as name -> value. */
export function envExample(): Map<string, string> {
  const entries = readRepoFile('.env.example')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string] as const);
  return new Map(entries);
}

/** Variables a text references: $NAME, ${NAME} and ${NAME:-default} (Grafana and compose syntax). */
export function referencedVariables(text: string): { name: string; hasDefault: boolean }[] {
  return [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(:-[^}]*)?\}|\$([A-Z][A-Z0-9_]*)/g)].map((m) => ({
    name: (m[1] ?? m[3]) as string,
    hasDefault: m[2] !== undefined,
  }));
}

/** Compose's substitution of ${NAME} and ${NAME:-default} from the given values. */
export function substitute(text: string, values: Map<string, string>): string {
  return text.replace(/\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    const value = values.get(name);
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`\${${name}} has no value`);
  });
}

/** A bind mount "./host:/container[:ro]" as its two paths; undefined for a named volume. */
export function bindMount(spec: string): { host: string; container: string } | undefined {
  const [host, container] = spec.split(':');
  if (!host || !container || !host.startsWith('.')) return undefined;
  return { host: path.normalize(host), container };
}
