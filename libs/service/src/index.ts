export * from './service-definition';
export * from './service.module';
export * from './run-service';
export * from './event-log/event-log.module';
export * from './journey/journey-step.response';
