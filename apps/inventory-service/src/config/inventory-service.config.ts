import { ServiceEnv, loadConfig } from '@todo/config';

export class InventoryServiceConfig extends ServiceEnv {
  override PORT = 8085;
  override DB_SCHEMA = 'inventory';
}

export function loadInventoryServiceConfig(env: Record<string, string | undefined>): InventoryServiceConfig {
  return loadConfig(InventoryServiceConfig, env);
}
