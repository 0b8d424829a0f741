export * from './envelope';
export * from './todo-events';
export * from './user-events';
export * from './platform-event';
export * from './event-schema';
export * from './parse-event';
export * from './upcast';
