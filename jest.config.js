/** ts-jest in ESM mode; type checking is `npm run typecheck` (tsc), not the test run. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Sized for a busy two-CPU machine: a test's first scan loads the AWS SDK and starts an emulator.
  testTimeout: 60_000,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
};
