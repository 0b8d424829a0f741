import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformAsyncApi } from '../libs/messaging/src/contract/asyncapi-document';
import { Cli, readCommandLine, refuse } from './cli-usage';

/**
 * Writes the platform's AsyncAPI document, generated from the code, to docs/asyncapi.json
 * (`npm run asyncapi`). The test suite fails when the file differs from what the code generates.
 */
const ASYNCAPI_FILE = join(__dirname, '..', 'docs', 'asyncapi.json');

const ASYNCAPI: Cli = {
  usage: ['npm run asyncapi'],
  summary:
    "Writes the platform's AsyncAPI document, generated from the message contracts and the topology, to " +
    'docs/asyncapi.json (every service also serves it at /asyncapi.json, and as a page at /asyncapi). ' +
    'The test suite fails when the file differs from what the code generates.',
};

if (require.main === module) {
  if (readCommandLine(ASYNCAPI).positionals.length > 0) refuse(ASYNCAPI, 'it takes no arguments');
  writeFileSync(ASYNCAPI_FILE, `${JSON.stringify(platformAsyncApi(), null, 2)}\n`);
  process.stdout.write(`wrote ${ASYNCAPI_FILE}\n`);
}
