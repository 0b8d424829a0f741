export * from './authenticated-user';
export * from './access.decorators';
export * from './access-tokens';
export * from './bearer-auth.guard';
export * from './rate-limit.guard';
export * from './auth.module';
