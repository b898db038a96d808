import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

/**
 * @grafana/plugin-e2e against the Grafana of docker-compose.yml (plugin/dist mounted, the
 * repository's provisioning/ loaded). Not part of `npm test`: run with `npm run e2e -w plugin`.
 */
export default defineConfig<PluginOptions>({
  testDir: __dirname,
  testMatch: /.*\.spec\.ts/,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    provisioningRootDir: path.resolve(__dirname, '..', '..', 'provisioning'),
    trace: 'retain-on-failure',
    // Debian's Chromium when given (CHROMIUM=/usr/bin/chromium), Playwright's own otherwise.
    launchOptions: process.env.CHROMIUM ? { executablePath: process.env.CHROMIUM } : {},
  },
  projects: [
    {
      name: 'auth',
      testDir: path.dirname(require.resolve('@grafana/plugin-e2e/package.json')) + '/dist/auth',
      testMatch: [/.*\.js/],
    },
    {
      name: 'run-tests',
      use: { ...devices['Desktop Chrome'], storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
