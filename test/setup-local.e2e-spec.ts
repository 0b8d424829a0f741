import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from './support/postgres';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', 'scripts', 'setup-local.js');

describe('npm run setup:local', () => {
  const suffix = randomBytes(4).toString('hex');
  const role = `t_setup_${suffix}`;
  const database = `t_setup_${suffix}`;
  const databaseUrl = `postgres://${role}:secret@127.0.0.1:5432/${database}`;
  const setup = () =>
    run(process.execPath, [SCRIPT], { env: { ...process.env, DATABASE_URL: databaseUrl, PG_ADMIN_URL: TEST_DATABASE_URL } });

  afterAll(async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  });

  it('creates the role and the database DATABASE_URL names, then changes nothing on a second run', async () => {
    const first = await setup();
    expect(first.stdout).toContain(`created role ${role}`);
    expect(first.stdout).toContain(`created database ${database}, owned by ${role}`);

    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const [{ owner }] = (await client.query(`SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()`))
      .rows;
    await client.end();
    expect(owner).toBe(role);

    const second = await setup();
    expect(second.stdout).toContain('nothing to do');
    expect(second.stdout).not.toContain('created');
  });
});
