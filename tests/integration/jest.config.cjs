module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.int-spec.ts'],
  // A guard against a hung server, not a performance assertion.
  testTimeout: 120_000,
};
