// The compiled backend's modules the benches drive (npm run build -> backend/dist; CommonJS).
import { dist } from './server.mjs';

export const { collectContext } = await import(dist('collectors/context.js'));
export const { ALL_COLLECTORS } = await import(dist('collectors/index.js'));
export const { rankingQueries } = await import(dist('collectors/relations/ranking.js'));
export const { inspectServer } = await import(dist('db/server-info.js'));
export const { sqlFile } = await import(dist('sql/sql-file.js'));
export const { queryFileFor } = await import(dist('sql/collector-variants.js'));
export const { loadConfig } = await import(dist('config/load.js'));
export const { cycleStatementTimeoutMs } = await import(dist('scheduler/loop-runner.js'));
