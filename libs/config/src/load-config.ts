import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates a service's environment at start-up. Unset variables keep the
 * class's defaults; anything invalid stops the service with every problem listed.
 */
function declaredKeys(schema: new () => object): string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(schema, '', true, false)
    .map((m) => m.propertyName);
}

export function loadConfig<T extends object>(schema: new () => T, env: Record<string, string | undefined>): T {
  // Only the schema's own variables: the config object must not carry PATH, tokens and the like.
  const known = new Set(Object.keys(new schema()).concat(declaredKeys(schema)));
  const defined = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.has(key) && value !== undefined && value !== ''));
  const config = plainToInstance(schema, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(errors.flatMap((e) => Object.values(e.constraints ?? {})));
  }
  return config;
}
