import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSchemaRoles, dropSchemas, queryIn, testSchema } from './support/postgres';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

/** Each schema's own role (the test's concurrent cases do not wait for beforeAll, so each makes its own). */
const databaseUrls: Record<string, string> = {};

/** `npm run migration:<command> -- <service>`, as a user runs it, against a schema of its own, as the role owning only it. */
async function migration(command: 'show' | 'run' | 'revert', service: string, schema: string): Promise<string> {
  const { stdout } = await run('npm', ['run', '-s', `migration:${command}`, '--', service], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrls[schema], DB_SCHEMA: schema },
    timeout: 60_000,
  });
  return stdout;
}

const applied = async (schema: string) =>
  (await queryIn<{ name: string }>(schema, `SELECT name FROM migrations ORDER BY id`)).map((row) => row.name);

const SERVICES = {
  'todo-service': [
    'EventStore1764115200000',
    'Inbox1764115200001',
    'OutboxMessages1764115200002',
    'TodoViews1764115300000',
    'UserCredentials1764115900000',
    'EventsByUser1764116000000',
    'JourneySteps1764117000000',
  ],
  'notification-service': ['Inbox1764115200001', 'Notifications1764115400000', 'JourneySteps1764117000000'],
  'analytics-service': ['Inbox1764115200001', 'TodoFacts1764115500000', 'OrderFacts1764115800000', 'JourneySteps1764117000000'],
  'order-service': [
    'EventStore1764115200000',
    'Inbox1764115200001',
    'OutboxMessages1764115200002',
    'Orders1764115700000',
    'EventsByUser1764116000000',
    'JourneySteps1764117000000',
  ],
  'inventory-service': [
    'EventStore1764115200000',
    'Inbox1764115200001',
    'OutboxMessages1764115200002',
    'Stock1764115600000',
    'EventsByUser1764116000000',
    'JourneySteps1764117000000',
  ],
};

describe('migrations through the TypeORM CLI', () => {
  const schemas = Object.fromEntries(Object.keys(SERVICES).map((service) => [service, testSchema(`mig_${service.split('-')[0]}`)]));

  afterAll(() => dropSchemas(...Object.values(schemas)));

  // The services' runs are independent, so they run side by side.
  it.concurrent.each(Object.entries(SERVICES))('%s: show → run → revert → run on a fresh schema', async (service, migrations) => {
    const schema = schemas[service];
    Object.assign(databaseUrls, await createSchemaRoles([schema]));
    const last = migrations[migrations.length - 1];

    const pending = await migration('show', service, schema);
    for (const name of migrations) expect(pending).toContain(`[ ] ${name}`);

    const ran = await migration('run', service, schema);
    for (const name of migrations) expect(ran).toContain(`Migration ${name} has been executed successfully`);
    expect(await applied(schema)).toEqual(migrations);

    const reverted = await migration('revert', service, schema);
    expect(reverted).toContain(`Migration ${last} has been reverted successfully`);
    expect(await applied(schema)).toEqual(migrations.slice(0, -1));
    expect(await migration('show', service, schema)).toContain(`[ ] ${last}`);

    await migration('run', service, schema);
    expect(await applied(schema)).toEqual(migrations);
    const shown = await migration('show', service, schema);
    for (const name of migrations) expect(shown).toMatch(new RegExp(`\\[X\\] \\d+ ${name}`));
  });

  it('creates a new migration file in the service and says where to register it', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'migration:create', '--', 'analytics-service', 'AddSomething'], {
      cwd: ROOT,
      timeout: 60_000,
    });
    const created = /Created: (\S+)/.exec(stdout)?.[1];
    try {
      expect(created).toMatch(/^apps\/analytics-service\/src\/infrastructure\/database\/migrations\/\d+-AddSomething\.ts$/);
      expect(readFileSync(join(ROOT, created!), 'utf8')).toMatch(/export class AddSomething\d+ implements MigrationInterface/);
      expect(stdout).toContain('analytics-service.migrations.ts');
    } finally {
      if (created && existsSync(join(ROOT, created))) rmSync(join(ROOT, created));
    }
  });

  it('refuses an unknown service with its usage', async () => {
    await expect(run('npm', ['run', '-s', 'migration:show', '--', 'billing-service'], { cwd: ROOT })).rejects.toMatchObject({
      code: 64,
      stderr: expect.stringContaining('usage: npm run migration:'),
    });
  });
});
