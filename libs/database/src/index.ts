export * from './postgres';
export * from './database.module';
export * from './database.readiness';
export * from './database-errors';
export * from './group-commit-queue';
export * from './quote-ident';
export * from './cli-data-source';
export * from './service-role';
