import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformAsyncApi } from '../libs/messaging/src/contract/asyncapi-document';

/**
 * Writes the platform's AsyncAPI document, generated from the code, to docs/asyncapi.json
 * (`npm run asyncapi`). The test suite fails when the file differs from what the code generates.
 */
const ASYNCAPI_FILE = join(__dirname, '..', 'docs', 'asyncapi.json');

if (require.main === module) {
  writeFileSync(ASYNCAPI_FILE, `${JSON.stringify(platformAsyncApi(), null, 2)}\n`);
  process.stdout.write(`wrote ${ASYNCAPI_FILE}\n`);
}
