/** Boundaries from STYLE.md, checked on every test run (`npm run lint:boundaries`). */

/**
 * The libraries in layers, each importing only from the ones it lists (and itself):
 * contracts, configuration and authentication at the bottom, then observability, then the database and
 * the broker, then the event store on both, the HTTP edge, and the service bootstrap
 * that composes them all.
 */
const LIBRARY_LAYERS = {
  events: [],
  config: [],
  auth: [],
  observability: ['auth'],
  database: ['config', 'observability'],
  messaging: ['events', 'observability'],
  'event-store': ['config', 'database', 'events', 'messaging', 'observability'],
  'http-api': ['auth', 'database', 'events', 'observability'],
  service: ['auth', 'config', 'database', 'event-store', 'events', 'http-api', 'messaging', 'observability'],
};

const layerRules = Object.entries(LIBRARY_LAYERS).map(([lib, allowed]) => ({
  name: `libs-${lib}-imports-only-${allowed.length > 0 ? allowed.join('-') : 'itself'}`,
  comment: `libs/${lib} may import only ${allowed.length > 0 ? allowed.map((l) => `libs/${l}`).join(', ') : 'itself'} among the libraries.`,
  severity: 'error',
  from: { path: `^libs/${lib}/` },
  to: { path: '^libs/([^/]+)/', pathNot: `^libs/(${[lib, ...allowed].join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every-library-has-a-layer',
      comment: 'A new library takes its place in LIBRARY_LAYERS above.',
      severity: 'error',
      from: { path: '^libs/', pathNot: `^libs/(${Object.keys(LIBRARY_LAYERS).join('|')})/` },
      to: {},
    },
    {
      name: 'libs-import-no-apps',
      comment: 'A library never imports an application.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-import-no-other-app',
      comment: 'An app never imports another app; they talk through events only.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'events-import-nothing',
      comment: 'libs/events holds the contracts every client reads: no framework, no other lib.',
      severity: 'error',
      from: { path: '^libs/events/' },
      to: { pathNot: '^libs/events/' },
    },
    {
      name: 'domain-imports-no-infrastructure',
      comment: 'Domain code is pure: no database, broker, HTTP or framework imports.',
      severity: 'error',
      from: { path: '^apps/[^/]+/src/[^/]+/domain/' },
      to: {
        path: '(/infrastructure/|/commands/|/queries/|/handlers/|/projections/|^libs/(messaging|event-store|database|observability|config|http-api|service)/|node_modules/(@nestjs|typeorm|pg|amqplib|amqp-connection-manager|nodemailer))',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|\\.spec\\.ts$|\\.int-spec\\.ts$|\\.e2e-spec\\.ts$)' },
  },
};
