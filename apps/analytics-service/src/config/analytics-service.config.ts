import { ServiceEnv, loadConfig } from '@todo/config';
import { Matches } from 'class-validator';

export class AnalyticsServiceConfig extends ServiceEnv {
  override PORT = 8083;
  override DB_SCHEMA = 'analytics';
  /** Its own role, owning only its schema (`npm run setup:local` creates it). */
  override DATABASE_URL = 'postgres://analytics_service:analytics_service@127.0.0.1:5432/todo_platform';
  /** Its own broker user, with only its rights (`npm run broker:setup` creates it). */
  override AMQP_URL = 'amqp://analytics-service:analytics-service@127.0.0.1:5672';

  /** Where `rebuild` reads the event stream from (GET /events); the service itself never calls it. */
  @Matches(/^https?:\/\/.+/, { message: 'TODO_SERVICE_URL must be an http(s) URL' })
  TODO_SERVICE_URL = 'http://127.0.0.1:8081';

  /** Where `rebuild order-analytics` reads order-service's event stream from (GET /events). */
  @Matches(/^https?:\/\/.+/, { message: 'ORDER_SERVICE_URL must be an http(s) URL' })
  ORDER_SERVICE_URL = 'http://127.0.0.1:8084';
}

export function loadAnalyticsServiceConfig(env: Record<string, string | undefined>): AnalyticsServiceConfig {
  return loadConfig(AnalyticsServiceConfig, env);
}
