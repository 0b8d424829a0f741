/** Boundaries from STYLE.md, checked on every test run (`npm run lint:boundaries`). */
module.exports = {
  forbidden: [
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
        path: '(/infrastructure/|/commands/|/queries/|/handlers/|/projections/|^libs/(messaging|event-store|observability|config)/|node_modules/(@nestjs|typeorm|pg|amqplib|amqp-connection-manager|nodemailer))',
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
