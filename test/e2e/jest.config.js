/**
 * Browser e2e tests (`npm run test:e2e`): Debian Chromium driven by playwright-core against the local stack. Kept out
 * of the default `npm test` by name (*.e2e.ts) and by root. One worker: the scenarios share one browser and one stack.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  maxWorkers: 1,
  testTimeout: 90000,
  // A test that fails leaves nothing running: the suite closes its browser and servers in afterAll.
  forceExit: false,
};
