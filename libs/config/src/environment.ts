import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The process environment, with a `.env` file in the working directory loaded into it
 * first when there is one — read by Node's own parser (`util.parseEnv`, the one behind
 * `node --env-file-if-exists=.env`). A variable already set in the environment wins over
 * the file, so a shell export or compose's `environment:` always has the last word.
 * Every entry point (services, CLIs, data sources) reads its configuration through this.
 */
export function readEnvironment(file = '.env'): NodeJS.ProcessEnv {
  const path = resolve(file);
  if (existsSync(path)) {
    for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
      if (process.env[name] === undefined) process.env[name] = value;
    }
  }
  return process.env;
}
