// Two projects: fast unit specs next to the code, and e2e specs through HTTP on real PostgreSQL/Redis.
const transform = { '^.+\\.ts$': 'ts-jest' };
module.exports = {
  testTimeout: 30000,
  // One suite at a time (2 cores, shared services), in a worker process that Jest replaces once it holds
  // more than this after a file: each e2e file boots a whole Nest app, and what a file leaves reachable
  // (module registries, pools' timers) added up to a 4 GB heap over ~115 files when run in the main process.
  maxWorkers: 1,
  workerIdleMemoryLimit: '1536MB',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts', '<rootDir>/packages/*/test/**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/support/test-env.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/test-env.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/kill-children-after-file.ts'],
      testTimeout: 60000,
    },
  ],
};
