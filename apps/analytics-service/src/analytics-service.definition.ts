import { HttpEventSource } from '@todo/event-store';
import { ANALYTICS_QUEUE } from '@todo/messaging';
import { defineService } from '@todo/service';
import { AnalyticsModule } from './analytics/analytics.module';
import { analyticsReadModel } from './analytics/projections/analytics.read-model';
import { orderAnalyticsReadModel } from './analytics/projections/order-analytics.read-model';
import { AnalyticsServiceConfig } from './config/analytics-service.config';
import { analyticsServiceMigrations } from './infrastructure/database/analytics-service.migrations';

/** analytics-service: figures computed from the todo events. */
export const analyticsService = defineService({
  name: 'analytics-service',
  config: AnalyticsServiceConfig,
  migrations: analyticsServiceMigrations,
  modules: [AnalyticsModule],
  consumer: ANALYTICS_QUEUE,
  http: {
    description:
      'Figures computed from the events alone: todos created and completed, completion rate and time to complete, by ' +
      'priority and by user (each user sees their own; the whole platform is for the admin role), and orders by outcome. ' +
      'Its tables are projections of the events, so every figure can be rebuilt from the streams (npm run rebuild -- analytics).',
    tags: { analytics: 'Figures computed from the todo events.' },
  },
  readModels: (config) => [
    { model: analyticsReadModel, source: () => new HttpEventSource(config.TODO_SERVICE_URL, config.REBUILD_ACCESS_TOKEN) },
    { model: orderAnalyticsReadModel, source: () => new HttpEventSource(config.ORDER_SERVICE_URL, config.REBUILD_ACCESS_TOKEN) },
  ],
});
