/**
 * Generated bad requests for the API: wrong types, unknown fields, missing fields, absurd numbers,
 * bad ranges, unknown names, non-JSON and oversize bodies, bad querystrings. Each is a request
 * the API must answer with a 4xx. Deterministic (seeded), so a failure can be replayed.
 */
export interface BadRequest {
  what: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  payload?: unknown;
}

type Json = Record<string, unknown>;

export const INJECTIONS = [
  "'; DROP TABLE samples; --",
  "x' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  '$1',
  '"); DELETE FROM series; --',
  '%00',
  '../../etc/passwd',
  '{{datname}}',
  '<script>alert(1)</script>',
];

const WRONG_VALUES: unknown[] = [
  null,
  true,
  false,
  -1,
  0,
  1.5,
  1e300,
  -1e300,
  '',
  'x',
  '😀',
  [],
  [1],
  {},
  { a: 1 },
];
const HUGE_TEXT = 'x'.repeat(5000);

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function setPath(body: Json, path: (string | number)[], value: unknown): Json {
  const copy = clone(body);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  node[path[path.length - 1] as string] = value;
  return copy;
}

function deletePath(body: Json, path: (string | number)[]): Json {
  const copy = clone(body);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  delete node[path[path.length - 1] as string];
  return copy;
}

/** Valid bodies the mutations start from. */
export function validBodies(now: number): Json[] {
  const range = { from: now - 3_600_000, to: now };
  return [
    {
      range,
      intervalMs: 15_000,
      maxDataPoints: 500,
      queries: [
        {
          refId: 'A',
          kind: 'timeseries',
          metric: 'pg_connections',
          target: 'test',
          filters: { datname: 'postgres', state: ['active', 'idle'] },
          aggregation: 'max',
          groupBy: ['datname'],
          legendFormat: '{{datname}}',
          limit: 10,
        },
      ],
    },
    {
      range,
      queries: [
        {
          refId: 'B',
          kind: 'table',
          table: 'sessions',
          target: 'test',
          asOf: 'latest',
          limit: 5,
          orderBy: 'pid',
          order: 'asc',
          filters: { state: 'active' },
        },
      ],
    },
  ];
}

/** Paths of a body's fields (objects walked; arrays by index), to mutate one at a time. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

/** Text that PostgreSQL cannot hold: refused up front rather than failing in the store. */
export const UNSTORABLE = ['a\u0000b', '\ud800', 'x\udfff'];

/** Values that are wrong for a field whatever its type, beyond the type ones: bounds and names. */
const SPECIFIC: Record<string, unknown[]> = {
  from: ['yesterday', '2020-13-45', 0, 8.7e15, '9'.repeat(40)],
  to: ['tomorrow-ish', -5],
  intervalMs: [0, -1000, 1e13, '1000'],
  maxDataPoints: [0, 10_001, 1e9, '100'],
  metric: ['pg_nope', 'pg connections', HUGE_TEXT, "pg_connections'; --"],
  kind: ['graph', 'TIMESERIES'],
  table: ['nope', 'samples; DROP', HUGE_TEXT],
  aggregation: ['median', 'AVG'],
  groupBy: [['relname'], ['bad-label'], 'datname', ['constructor'], ['__proto__']],
  limit: [0, 1e6, -1],
  asOf: ['yesterday', true],
  orderBy: ['nope', 'pid desc', 'constructor', 'hasOwnProperty'],
  order: ['up'],
  refId: ['', HUGE_TEXT],
  legendFormat: [HUGE_TEXT],
  filters: [
    { relname: 'x' },
    { 'bad key': 'x' },
    { datname: HUGE_TEXT },
    { datname: [1] },
    ...UNSTORABLE.map((u) => ({ datname: u })),
  ],
  target: ['', HUGE_TEXT, ...UNSTORABLE],
  datname: UNSTORABLE,
  state: UNSTORABLE.map((u) => [u]),
};

/** Fields where any short non-empty text is valid: an unknown target or value is no data, not an error. */
const ANY_TEXT = new Set(['refId', 'target', 'legendFormat', 'datname', 'state']);

/** Values of WRONG_VALUES that a field accepts after all, so that they are not counted as bad. */
function plausiblyValid(name: string, value: unknown): boolean {
  const shortText = (v: unknown) => typeof v === 'string' && v !== '' && v.length <= 100;
  if (
    UNSTORABLE.includes(value as string) ||
    (Array.isArray(value) && value.some((v) => UNSTORABLE.includes(v)))
  )
    return false;
  if (ANY_TEXT.has(name) && shortText(value)) return true;
  // '' is a label value too (datname of a background process).
  if ((name === 'datname' || name === 'state') && value === '') return true;
  if (name === 'legendFormat' && value === '') return true;
  if ((name === 'datname' || name === 'state') && Array.isArray(value) && value.every(shortText)) return true;
  if (
    name === 'filters' &&
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  ) {
    return true;
  }
  if (name === 'groupBy' && Array.isArray(value) && value.length === 0) return true;
  return false;
}

/** Mutations of valid bodies: a wrong value in one field, an unknown field, a missing field. */
function bodyMutations(now: number): BadRequest[] {
  const out: BadRequest[] = [];
  const post = (what: string, payload: unknown): BadRequest => ({
    what,
    method: 'POST',
    url: '/api/v1/query',
    payload,
  });
  for (const body of validBodies(now)) {
    for (const path of paths(body)) {
      const name = String(path[path.length - 1]);
      if (/^\d+$/.test(name) && path[path.length - 2] === 'state') continue; // a list item of a filter: any string is valid
      const wrong = [...WRONG_VALUES, ...(SPECIFIC[name] ?? [])].filter((v) => !plausiblyValid(name, v));
      for (const value of wrong)
        out.push(
          post(`${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`, setPath(body, path, value)),
        );
      if (
        ![
          'intervalMs',
          'maxDataPoints',
          'target',
          'filters',
          'aggregation',
          'groupBy',
          'legendFormat',
          'limit',
          'asOf',
          'orderBy',
          'order',
          'datname',
          'state',
        ].includes(name) &&
        !/^\d+$/.test(name)
      ) {
        out.push(post(`missing ${path.join('.')}`, deletePath(body, path)));
      }
    }
    out.push(post('unknown top-level field', { ...body, extra: 1 }));
    out.push(post('unknown range field', setPath(body, ['range', 'extra'], 1)));
    out.push(post('unknown query field', setPath(body, ['queries', 0, 'extra'], 1)));
    out.push(
      post('unknown datasource field', setPath(body, ['queries', 0, 'datasource'], { uid: 'x', extra: 1 })),
    );
    out.push(post('from after to', setPath(body, ['range'], { from: now, to: now - 1 })));
    out.push(
      post('from before retention', setPath(body, ['range'], { from: now - 100 * 86_400_000, to: now })),
    );
    out.push(post('from is 0', setPath(body, ['range'], { from: 0, to: now })));
    out.push(post('no queries', setPath(body, ['queries'], [])));
    out.push(
      post(
        '51 queries',
        setPath(
          body,
          ['queries'],
          Array.from({ length: 51 }, (_, i) => ({ ...(body.queries as Json[])[0], refId: `Q${i}` })),
        ),
      ),
    );
    out.push(
      post(
        'duplicate refId',
        setPath(body, ['queries'], [(body.queries as Json[])[0], (body.queries as Json[])[0]]),
      ),
    );
    out.push(
      post(
        '__proto__ key',
        `{"__proto__":{"polluted":true},"range":${JSON.stringify(body.range)},"queries":[]}`,
      ),
    );
  }
  return out;
}

function rawBodies(bodyLimit: number): BadRequest[] {
  const json = { 'content-type': 'application/json' };
  const raw = (what: string, payload: string, headers: Record<string, string> = json): BadRequest => ({
    what,
    method: 'POST',
    url: '/api/v1/query',
    headers,
    payload,
  });
  return [
    raw('not JSON', 'not json'),
    raw('truncated JSON', '{"range": {"from": 1'),
    raw('JSON array', '[]'),
    raw('JSON null', 'null'),
    raw('JSON string', '"range"'),
    raw('JSON number', '12345'),
    raw('empty body', ''),
    raw('deep nesting', '['.repeat(5000) + ']'.repeat(5000)),
    raw('trailing garbage', '{"range":{"from":1,"to":2},"queries":[]} x'),
    raw(
      'oversize body',
      JSON.stringify({ range: { from: 1, to: 2 }, queries: [], pad: 'x'.repeat(bodyLimit + 10) }),
    ),
    raw('text/plain body', 'hello', { 'content-type': 'text/plain' }),
    raw('XML body', '<query/>', { 'content-type': 'application/xml' }),
    raw('form body', 'range=1&queries=2', { 'content-type': 'application/x-www-form-urlencoded' }),
    raw('gzip-labelled garbage', 'not gzip', { ...json, 'content-encoding': 'gzip' }),
    raw('invalid UTF-8 claims', '\uFFFE\uFFFF', json),
  ];
}

function getRequests(now: number): BadRequest[] {
  const get = (what: string, url: string): BadRequest => ({ what, method: 'GET', url });
  const from = now - 3_600_000;
  const out = [
    get('annotations without range', '/api/v1/annotations'),
    get('annotations without to', `/api/v1/annotations?from=${from}`),
    get('annotations from after to', `/api/v1/annotations?from=${now}&to=${from}`),
    get('annotations bad from', `/api/v1/annotations?from=yesterday&to=${now}`),
    get('annotations unknown kind', `/api/v1/annotations?from=${from}&to=${now}&kind=nope`),
    get('annotations bad limit', `/api/v1/annotations?from=${from}&to=${now}&limit=0`),
    get('annotations huge limit', `/api/v1/annotations?from=${from}&to=${now}&limit=99999999`),
    get('annotations text limit', `/api/v1/annotations?from=${from}&to=${now}&limit=ten`),
    get('annotations unknown param', `/api/v1/annotations?from=${from}&to=${now}&foo=1`),
    get('annotations before retention', `/api/v1/annotations?from=0&to=${now}`),
    get('variables unknown name', '/api/v1/variables/nope'),
    get('variables injection name', `/api/v1/variables/${encodeURIComponent(INJECTIONS[0] as string)}`),
    get('variables bad limit', '/api/v1/variables/targets?limit=-1'),
    get('variables unknown param', '/api/v1/variables/targets?foo=bar'),
    get('variables huge target', `/api/v1/variables/databases?target=${'x'.repeat(300)}`),
    get('variables NUL target', `/api/v1/variables/databases?target=a%00b`),
    get('annotations NUL target', `/api/v1/annotations?from=${from}&to=${now}&target=a%00b`),
    get('catalog unknown param', '/api/v1/catalog?verbose=1'),
    get('overview unknown param', '/api/v1/overview?target=x'),
    get('unknown route', '/api/v1/nope'),
    get('unknown version', '/api/v2/query'),
    get('GET on query', '/api/v1/query'),
    { what: 'DELETE on query', method: 'DELETE', url: '/api/v1/query' },
    { what: 'PUT on catalog', method: 'PUT', url: '/api/v1/catalog', payload: {} },
  ] as BadRequest[];
  for (const name of ['targets', 'databases', 'relations', 'applications', 'users', 'queryids', 'metrics']) {
    out.push(get(`variables ${name} bad limit`, `/api/v1/variables/${name}?limit=0`));
  }
  return out;
}

/** `count` bad requests: every generated one at least once, then random picks (seeded). */
export function badRequests(
  count: number,
  options: { now: number; bodyLimit: number; seed?: number },
): BadRequest[] {
  const all = [...bodyMutations(options.now), ...rawBodies(options.bodyLimit), ...getRequests(options.now)];
  const random = mulberry32(options.seed ?? 4);
  const out = all.slice(0, count);
  while (out.length < count) out.push(all[Math.floor(random() * all.length)] as BadRequest);
  return out;
}

export function distinctBadRequests(options: { now: number; bodyLimit: number }): number {
  return (
    bodyMutations(options.now).length + rawBodies(options.bodyLimit).length + getRequests(options.now).length
  );
}
