# syntax=docker/dockerfile:1
# The PG Governor backend. Multi-stage: build with the dev dependencies, run with the production
# ones as a non-root user. Read-only root filesystem friendly: the only writable paths are the
# data folder (a volume) and /tmp (a tmpfs); see docker-compose.yml. It listens on 0.0.0.0 only
# with API tokens configured (PGG_READ_TOKENS), otherwise on 127.0.0.1 inside the container.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
# The workspace root's dev dependencies (TypeScript) and the backend's; no PostgreSQL binaries run here.
RUN npm ci --workspace backend --include-workspace-root --ignore-scripts --no-audit --no-fund \
  && npx tsc -b backend

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY . .
RUN npm ci --omit=dev --workspace backend --include-workspace-root --no-audit --no-fund \
  && mkdir -p /out/backend \
  && cp -a package.json node_modules /out/ \
  && cp -a backend/package.json backend/bin /out/backend/ \
  && if [ -d backend/node_modules ]; then cp -a backend/node_modules /out/backend/; fi

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    PGG_HTTP_PORT=8765 \
    PGG_DATA_DIR=/var/lib/pg-governor
WORKDIR /app
COPY --from=deps /out/ ./
COPY --from=build /src/backend/dist ./backend/dist
COPY sql ./sql
# The zero-config demo loads the task queue pack.
COPY examples/packs ./examples/packs
COPY docker/workload/run.cjs ./docker/workload/run.cjs
RUN mkdir -p /var/lib/pg-governor && chown node:node /var/lib/pg-governor
USER node
EXPOSE 8765
VOLUME ["/var/lib/pg-governor"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PGG_HTTP_PORT || 8765) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=384", "backend/dist/main.js"]
