#!/usr/bin/env bash
# @grafana/plugin-e2e specs against a real Grafana (docker compose). Needs Docker; not run in CI
# (no Docker engine there) nor by `npm test`. @grafana/plugin-e2e and @playwright/test are
# devDependencies; Playwright's browser is not (npm never downloads one): give CHROMIUM=/path or
# let this script fetch Playwright's Chromium once.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! docker info >/dev/null 2>&1; then
  echo "e2e: no Docker engine here; these specs need the Grafana of docker-compose.yml" >&2
  exit 1
fi
npm run build
(cd .. && docker compose up -d --wait)
[ -n "${CHROMIUM:-}" ] || npx playwright install chromium
npx playwright test "$@"
