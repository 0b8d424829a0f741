import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { EventType, UserRegistered } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';

/** Learns users' addresses from their events; this service never calls todo-service. */
@Injectable()
export class RecipientsProjection {
  @OnEvent(EventType.User.Registered)
  apply(event: UserRegistered, { tx }: InboxContext): Promise<void> {
    return projectRecipient(tx, event);
  }
}

/** Idempotent: the same registration applied twice leaves one row. */
export async function projectRecipient(tx: EntityManager, event: UserRegistered, table = 'recipients'): Promise<void> {
  await tx.query(
    `INSERT INTO ${table} (user_id, email, name, registered_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name`,
    [event.user_id, event.email, event.name, event.occurred_at],
  );
}
