// Unit tests beside the code (no servers), integration tests in test/ (real servers), and the
// Grafana plugin's tests (jsdom, beside its code).
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];

/** Packages without a CommonJS build that the plugin's imports reach. */
const ESM_PACKAGES = [
  'marked',
  'd3[^/]*',
  'ol',
  'react-calendar',
  'get-user-locale',
  'memoize',
  'mimic-function',
  'uuid',
  '@wojtekmaj/date-utils',
  // @grafana/scenes' CommonJS build requires the panel config types from here.
  '@grafana/schema/dist/esm',
];

/** @type {import('jest').Config} */
module.exports = {
  // Two workers even on two cores: the integration tests mostly wait on servers, and a worker of
  // its own isolates each file (a leak is recycled past the memory limit; a crash fails one file).
  maxWorkers: 2,
  workerIdleMemoryLimit: '800MB',
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/backend/src/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      displayName: 'plugin',
      rootDir: __dirname,
      testMatch: ['<rootDir>/plugin/src/**/*.test.{ts,tsx}', '<rootDir>/plugin/test/**/*.test.{ts,tsx}'],
      transform: {
        '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/plugin/tsconfig.json' }],
        // ESM-only packages @grafana/ui and @grafana/data load: compiled to CommonJS for jest.
        '^.+\\.m?js$': [
          'ts-jest',
          { tsconfig: { allowJs: true, isolatedModules: true, module: 'commonjs' } },
        ],
      },
      transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
      testEnvironment: 'jsdom',
      setupFilesAfterEnv: ['<rootDir>/plugin/test/jest-setup.ts'],
      moduleNameMapper: {
        '\\.css$': '<rootDir>/plugin/test/stub-module.js',
        // ESM-only, and only Grafana's data grid (never rendered by the plugin) loads it.
        '^react-data-grid$': '<rootDir>/plugin/test/stub-module.js',
        '^react-inlinesvg$': '<rootDir>/plugin/test/inline-svg-stub.js',
      },
    },
  ],
};
