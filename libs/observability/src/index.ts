export * from './correlation';
export * from './logger';
export * from './nest-logger';
export * from './request-correlation.middleware';
export * from './observability.module';
export * from './health';
export * from './graceful-shutdown';
export * from './tracing/trace-context';
