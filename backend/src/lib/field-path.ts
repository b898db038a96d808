/** JSON pointer `/queries/0/filters/datname` -> `queries[0].filters.datname`, the way the messages name fields. */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
    .replace(/^\./, '');
}

/** `queries[0]` + `filters` -> `queries[0].filters`; either side may be empty. */
export function joinPath(base: string, key: string): string {
  if (!base) return key;
  if (!key) return base;
  return key.startsWith('[') ? `${base}${key}` : `${base}.${key}`;
}
