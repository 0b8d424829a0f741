export * from './service-env';
export * from './load-config';
export * from './config.module';
export * from './environment';
export * from './semconv-stability';
