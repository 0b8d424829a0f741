import { ServiceEnv, loadConfig } from '@todo/config';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class OrderServiceConfig extends ServiceEnv {
  override PORT = 8084;
  override DB_SCHEMA = 'orders';
  /** Its own role, owning only its schema (`npm run setup:local` creates it). */
  override DATABASE_URL = 'postgres://order_service:order_service@127.0.0.1:5432/todo_platform';
  /** Its own broker user, with only its rights (`npm run broker:setup` creates it). */
  override AMQP_URL = 'amqp://order-service:order-service@127.0.0.1:5672';

  /** How long the saga waits for inventory's answer before it cancels the order and releases what may be reserved. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  ORDER_RESERVATION_TIMEOUT_MS = 30_000;

  /** How often passed deadlines are looked for (the precision of the timeout). */
  @Type(() => Number)
  @IsInt()
  @Min(20)
  SAGA_DEADLINE_POLL_MS = 500;
}

export function loadOrderServiceConfig(env: Record<string, string | undefined>): OrderServiceConfig {
  return loadConfig(OrderServiceConfig, env);
}
