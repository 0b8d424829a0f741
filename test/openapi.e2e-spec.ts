import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Platform, startPlatform } from './support/platform';
import { api } from './support/auth';
import { EventType, TODO_EVENT_TYPES } from '@todo/events';

const ROOT = join(__dirname, '..');
const SERVICES = ['todo', 'notification', 'analytics', 'order', 'inventory'] as const;
type Service = (typeof SERVICES)[number];

/** The parts of an OpenAPI document the checks below read. */
interface Document {
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
}
interface Operation {
  parameters?: { $ref?: string }[];
  responses: Record<string, Response>;
}
interface Response {
  headers?: Record<string, unknown>;
  content?: { 'application/json'?: { schema?: { allOf?: { $ref?: string; properties?: { code?: { enum?: string[] } } }[] } } };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the repo's CLIs from the repo root; a non-zero exit is a result here, not a failure. */
function runCli(bin: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', bin),
      args,
      // No telemetry or update check: the test must not depend on the network.
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      (error, stdout, stderr) => {
        const code = error ? error.code : 0;
        if (typeof code !== 'number') reject(error ?? new Error(`${bin} did not run`));
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

function parseReport(run: Run): { totals: { errors: number; warnings: number }; problems: unknown[] } {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`redocly (exit ${run.code}) gave no report:\n${run.stdout}${run.stderr}`);
  }
}

/** Every service's /docs-json passes Spectral and Redocly with the repo's rules, warnings included. */
describe('OpenAPI documents', () => {
  let platform: Platform;
  let dir: string;
  const documents = {} as Record<Service, Document>;
  const files = {} as Record<Service, string>;

  beforeAll(async () => {
    platform = await startPlatform('openapi', {
      services: ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'],
    });
    dir = await mkdtemp(join(tmpdir(), 'openapi-'));
    for (const service of SERVICES) {
      const { body } = await api(platform[service].getHttpServer()).get('/docs-json').expect(200);
      documents[service] = body;
      files[service] = join(dir, `${service}-service.json`);
      await writeFile(files[service], JSON.stringify(body, null, 2));
    }
  });

  afterAll(async () => {
    await platform?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(SERVICES)('%s-service: Spectral finds nothing, down to hints', async (service) => {
    const run = await runCli('spectral', ['lint', '-r', '.spectral.yaml', '--fail-severity=hint', files[service]]);
    if (run.code !== 0) throw new Error(`spectral (exit ${run.code}):\n${run.stdout}${run.stderr}`);
  });

  it.each(SERVICES)('%s-service: Redocly finds no error and no warning', async (service) => {
    const run = await runCli('redocly', ['lint', '--config', 'redocly.yaml', '--format', 'json', files[service]]);
    // Redocly exits 0 on warnings; its JSON report counts them.
    const report = parseReport(run);
    if (report.totals.errors + report.totals.warnings > 0) {
      throw new Error(`redocly: ${JSON.stringify(report.totals)}\n${JSON.stringify(report.problems, null, 2)}`);
    }
  });

  it.each(SERVICES)('%s-service: says what the service is for, then what it publishes, sends and receives', (service) => {
    const [purpose, broker] = documents[service].info.description.split('\n\n');
    expect(purpose.length).toBeGreaterThan(150);
    expect(broker).toBe('On the broker:');
  });

  it('todo-service: names every event it publishes, the seven of them', () => {
    const publishes = documents.todo.info.description.split('\n').find((line) => line.startsWith('- Publishes'));
    for (const type of [...TODO_EVENT_TYPES, EventType.User.Registered]) expect(publishes).toContain(`\`${type}\``);
  });

  it.each(SERVICES)('%s-service: every error answer is an ErrorBody naming its codes, and X-Request-Id goes both ways', (service) => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(documents[service].paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!operation.parameters?.some((p) => p.$ref === '#/components/parameters/X-Request-Id'))
          problems.push(`${where}: no X-Request-Id`);
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!response.headers?.['X-Request-Id']) problems.push(`${where} ${status}: no X-Request-Id header`);
          if (status === '503' && !response.headers?.['Retry-After']) problems.push(`${where} 503: no Retry-After header`);
          if (Number(status) < 400) continue;
          const [body, narrowed] = response.content?.['application/json']?.schema?.allOf ?? [];
          if (body?.$ref !== '#/components/schemas/ErrorBody' || !narrowed?.properties?.code?.enum?.length) {
            problems.push(`${where} ${status}: not an ErrorBody with its codes`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
