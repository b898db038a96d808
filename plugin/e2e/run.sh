#!/usr/bin/env bash
# @grafana/plugin-e2e specs against a real Grafana (docker compose). Needs Docker; not run in CI
# (no Docker engine there) nor by `npm test`. The e2e packages are installed here, without
# saving, so that CI's install stays lean.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! docker info >/dev/null 2>&1; then
  echo "e2e: no Docker engine here; these specs need the Grafana of docker-compose.yml" >&2
  exit 1
fi
npm run build
(cd .. && docker compose up -d --wait)
npm install --no-save --no-audit --no-fund @grafana/plugin-e2e@^2 @playwright/test@^1.56
[ -n "${CHROMIUM:-}" ] || npx playwright install chromium
npx playwright test -c e2e/playwright.config.ts "$@"
