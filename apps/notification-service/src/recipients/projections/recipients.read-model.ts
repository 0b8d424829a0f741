import { RebuildableReadModel } from '@todo/event-store';
import { EventType } from '@todo/events';
import { projectRecipient } from './recipients.projection';

/**
 * Who to write to, rebuildable from todo-service's event stream: `rebuild
 * notification-recipients`. Only recipients: replaying never sends a mail again.
 */
export const recipientsReadModel: RebuildableReadModel = {
  name: 'notification-recipients',
  tables: ['recipients'],
  apply: async (tx, event, tables) => {
    if (event.event_type === EventType.User.Registered) await projectRecipient(tx, event, tables.recipients);
  },
};
