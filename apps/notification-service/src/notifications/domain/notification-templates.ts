import { TodoCompleted, TodoCreated } from '@todo/events';

export interface MailContent {
  subject: string;
  body: string;
}

/** The seed's mail for a completed todo. */
export function todoCompletedMail(event: TodoCompleted): MailContent {
  return { subject: 'Todo Completed', body: `Your todo '${event.title}' has been completed!` };
}

export function todoCreatedMail(event: TodoCreated): MailContent {
  return { subject: 'Todo created', body: `Your todo '${event.title}' has been created.` };
}
