import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

/** @grafana/plugin-e2e's login step, run before the specs (as in create-plugin's scaffold). */
const pluginE2eAuth = `${path.dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

/**
 * The create-plugin layout's Playwright config: @grafana/plugin-e2e specs (e2e/) against the
 * Grafana of the repository's docker-compose.yml (plugin/dist mounted, provisioning/ loaded).
 * Not part of `npm test`: run with `npm run e2e -w plugin` (e2e/run.sh).
 */
export default defineConfig<PluginOptions>({
  testDir: './e2e',
  testMatch: /.*\.spec\.ts/,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    provisioningRootDir: path.resolve(__dirname, '..', 'provisioning'),
    trace: 'retain-on-failure',
    // Debian's Chromium when given (CHROMIUM=/usr/bin/chromium), Playwright's own otherwise.
    launchOptions: process.env.CHROMIUM ? { executablePath: process.env.CHROMIUM } : {},
  },
  projects: [
    // 1. Log in to Grafana and keep the cookie for the specs.
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    // 2. The specs, logged in as admin.
    {
      name: 'run-tests',
      use: { ...devices['Desktop Chrome'], storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
