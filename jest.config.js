/**
 * Three tiers, named by file: *.spec.ts (unit, no I/O), *.int-spec.ts (real
 * PostgreSQL / RabbitMQ) and test/*.e2e-spec.ts (whole services). One project per
 * tier so each can run alone: `npx jest --selectProjects unit`. A fourth, `tools`, has
 * scripts/*.spec.ts: the command-line tools run as processes, with no infrastructure.
 */
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/*', '/(.*)')}$`,
    `<rootDir>/${target.replace('/*', '/$1')}`,
  ]),
);

const base = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    // The command-line tools, each run as a process of its own (seconds each, no infrastructure).
    { ...base, displayName: 'tools', testMatch: ['<rootDir>/scripts/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // The cluster's fault cases need three more RabbitMQ nodes: `npm run test:cluster`.
      testPathIgnorePatterns: process.env.CLUSTER_TESTS === '1' ? [] : ['/test/cluster-faults\\.e2e-spec\\.ts$'],
    },
  ],
  // Integration and e2e tests wait on real brokers and databases; they wait on conditions, bounded by this.
  testTimeout: 60_000,
};
