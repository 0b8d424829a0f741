import { DataSource, QueryRunner } from 'typeorm';
import { captureLogs } from '../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas, testSchema } from '../../../test/support/postgres';
import { createDataSource, migrate } from './postgres';

describe('prepared statements on PostgreSQL', () => {
  const schema = testSchema('prepared');
  let dataSource: DataSource;
  let runner: QueryRunner;

  beforeAll(async () => {
    dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations: [], poolSize: 2 });
    await dataSource.initialize();
    await migrate(dataSource, schema, captureLogs('test').logger);
    runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.query(`CREATE TABLE views (id INT PRIMARY KEY, title TEXT NOT NULL)`);
  });

  afterAll(async () => {
    await runner?.release();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropSchemas(schema);
  });

  const prepared = async (text: string) =>
    (await runner.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = '${text.replace(/'/g, "''")}'`))[0]
      .n as number;

  it('prepares a parameterized statement once per connection and reuses it', async () => {
    const insert = `INSERT INTO views (id, title) VALUES ($1, $2)`;

    await runner.query(insert, [1, 'one']);
    await runner.query(insert, [2, 'two']);

    expect(await prepared(insert)).toBe(1);
    expect(await runner.query(`SELECT id, title FROM views ORDER BY id`)).toEqual([
      { id: 1, title: 'one' },
      { id: 2, title: 'two' },
    ]);
  });

  it('keeps working when the table it reads is swapped for a rebuilt copy', async () => {
    const read = `SELECT title FROM views WHERE id = $1`;
    expect(await runner.query(read, [1])).toEqual([{ title: 'one' }]);

    await runner.query(`CREATE TABLE views_rebuilt (id INT PRIMARY KEY, title TEXT NOT NULL)`);
    await runner.query(`INSERT INTO views_rebuilt VALUES (1, 'rebuilt')`);
    await runner.query(`ALTER TABLE views RENAME TO views_old`);
    await runner.query(`ALTER TABLE views_rebuilt RENAME TO views`);

    expect(await runner.query(read, [1])).toEqual([{ title: 'rebuilt' }]);
    expect(await prepared(read)).toBe(1);
  });

  it('leaves statements whose result follows the table (SELECT *, RETURNING *) unprepared', async () => {
    const insert = `INSERT INTO views (id, title) VALUES ($1, $2) RETURNING *`;

    expect(await runner.query(insert, [3, 'three'])).toEqual([{ id: 3, title: 'three' }]);

    expect(await prepared(insert)).toBe(0);
  });
});
