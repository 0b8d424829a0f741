import { EventStore, EventStore1764115200000, OutboxMessages1764115200002 } from '@todo/event-store';
import { createDataSource, migrate } from '@todo/database';
import { NewEvent, TodoCreated, TodoEventType } from '@todo/events';
import { Logger } from '@todo/observability';
import { DataSource } from 'typeorm';

type MigrationList = NonNullable<Parameters<typeof createDataSource>[0]['migrations']>;
import { TEST_DATABASE_URL, testSchema } from './postgres';

/** A migrated event-store schema of its own (`migrations`: a service's whole list instead, its store included). */
export async function eventStoreSchema(
  label: string,
  logger: Logger,
  migrations: MigrationList = [EventStore1764115200000, OutboxMessages1764115200002],
): Promise<{ schema: string; dataSource: DataSource; store: EventStore }> {
  const schema = testSchema(label);
  const dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations, poolSize: 6 });
  await dataSource.initialize();
  await migrate(dataSource, schema, logger);
  return { schema, dataSource, store: new EventStore() };
}

export function todoCreated(todoId: number, title = `todo ${todoId}`): NewEvent<TodoCreated> {
  return {
    type: TodoEventType.Created,
    version: 2,
    data: { todo_id: todoId, user_id: 1, title, description: '', priority: 'medium' },
  };
}

export const causation = (id: string) => ({ correlationId: id, causationId: id });
