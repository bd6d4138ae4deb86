// Shared jest settings for every project. Tests are TypeScript, compiled by swc to CommonJS;
// workspace packages resolve to their sources so a test never runs against a stale build.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@conceptlab/repro$': path.join(__dirname, 'apps/repro/src/index.ts'),
    '^@conceptlab/([^/]+)/([^/]+)$': path.join(__dirname, 'packages/$1/src/$2/index.ts'),
    '^@conceptlab/([^/]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
};
