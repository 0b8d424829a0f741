export * from './configure-http-api';
export * from './http-error.filter';
export * from './no-nul.decorator';
export * from './positive-int.pipe';
export * from './validation.pipe';
export * from './page.request';
export * from './service-urls';
