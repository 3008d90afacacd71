/**
 * Three tiers: unit specs beside the code (no I/O); integration specs against real PostgreSQL and
 * Kafka; end-to-end specs that run the services as separate processes. Infrastructure comes from one
 * seam (libs/testing/src/infra.ts), resolved once in global setup.
 */
// ts-jest (pure JavaScript) rather than a native transformer: `npm ci` must work wherever only the
// npm registry is reachable, for every platform's lock entries.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true, diagnostics: false }],
};

const moduleNameMapper = {
  '^@backbone/(contracts|messaging|platform|testing)$': '<rootDir>/libs/$1/src/index.ts',
};

const common = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node', setupFiles: ['reflect-metadata'] };

module.exports = {
  // The in-band tiers' leaked connections, named with the file that left them and closed at the end
  // (test/setup/open-sockets-reporter.js).
  reporters: ['default', '<rootDir>/test/setup/open-sockets-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,test}/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
    },
    {
      // The TypeORM entities and the migrations agree (a generated migration would be empty).
      ...common,
      displayName: 'schema',
      testMatch: ['<rootDir>/test/schema/**/*.schema-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/e2e-timeout.ts'],
    },
  ],
};
