import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { serviceRoleStatements } from '@todo/database';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema name of its own for one test run; dropSchemas removes them afterwards. */
export function testSchema(label: string): string {
  return `t_${label}_${randomBytes(4).toString('hex')}`;
}

/** A fresh schema for each service of one platform run (the test platform's, a benchmark's). */
export function serviceSchemas(label: string) {
  return {
    todo: testSchema(`${label}_todo`),
    notification: testSchema(`${label}_ntf`),
    analytics: testSchema(`${label}_ana`),
    order: testSchema(`${label}_ord`),
    inventory: testSchema(`${label}_inv`),
  };
}

/**
 * For each schema, a login role of the same name owning it and nothing else, as
 * `npm run setup:local` creates one per service; answers the DATABASE_URL of each.
 */
export async function createSchemaRoles(schemas: readonly string[]): Promise<Record<string, string>> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const schema of schemas) {
      for (const sql of serviceRoleStatements({ role: schema, password: schema, schema })) await client.query(sql);
    }
  } finally {
    await client.end();
  }
  return Object.fromEntries(
    schemas.map((schema) => {
      const url = new URL(TEST_DATABASE_URL);
      url.username = schema;
      url.password = schema;
      return [schema, url.toString()];
    }),
  );
}

/** Drops the schemas, and the roles createSchemaRoles made for them. */
export async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const schema of schemas) {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.query(`DROP ROLE IF EXISTS "${schema}"`);
    }
  } finally {
    await client.end();
  }
}

/** Runs one query in a schema through a short-lived connection. */
export async function queryIn<T = Record<string, unknown>>(schema: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Restarts the machine's PostgreSQL (every connection drops) and waits until it accepts connections again. */
export async function restartPostgres(): Promise<void> {
  const { execFile } = await import('node:child_process');
  const { readdirSync } = await import('node:fs');
  const version = readdirSync('/etc/postgresql')[0];
  await new Promise<void>((resolve, reject) =>
    execFile('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast'], { timeout: 60_000 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  for (let i = 0; ; i++) {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      if (i > 600) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
