import { ServiceEnv, loadConfig } from '@todo/config';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class AnalyticsServiceConfig extends ServiceEnv {
  override PORT = 8083;
  override DB_SCHEMA = 'analytics';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CONSUMER_PREFETCH = 50;
}

export function loadAnalyticsServiceConfig(env: Record<string, string | undefined>): AnalyticsServiceConfig {
  return loadConfig(AnalyticsServiceConfig, env);
}
