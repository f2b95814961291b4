/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    // The React entry's tests (test/react, jsdom): TSX with the automatic JSX runtime.
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          target: 'es2022',
          transform: { react: { runtime: 'automatic' } },
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // middy and jose ship ES modules; let swc transform them for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  // The construct deploys prebuilt handler folders (dist/handlers): build them from the current sources first.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  testTimeout: 60000,
};
