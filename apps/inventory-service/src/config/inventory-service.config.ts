import { ServiceEnv, loadConfig } from '@todo/config';

export class InventoryServiceConfig extends ServiceEnv {
  override PORT = 8085;
  override DB_SCHEMA = 'inventory';
  /** Its own role, owning only its schema (`npm run setup:local` creates it). */
  override DATABASE_URL = 'postgres://inventory_service:inventory_service@127.0.0.1:5432/todo_platform';
  /** Its own broker user, with only its rights (`npm run broker:setup` creates it). */
  override AMQP_URL = 'amqp://inventory-service:inventory-service@127.0.0.1:5672';
}

export function loadInventoryServiceConfig(env: Record<string, string | undefined>): InventoryServiceConfig {
  return loadConfig(InventoryServiceConfig, env);
}
