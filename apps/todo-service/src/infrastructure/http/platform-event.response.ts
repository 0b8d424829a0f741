import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { PlatformEvent, TODO_AGGREGATE, TODO_PRIORITIES, TodoEventType, TodoPriority, USER_AGGREGATE, UserEventType } from '@todo/events';

// The documented shape of the event contracts in libs/events (which imports nothing, Swagger
// included): one flat object per event, envelope and payload side by side, in its current version.

abstract class EventEnvelopeFields {
  @ApiProperty({ format: 'uuid', description: 'Unique id of the event; consumers deduplicate on it.' })
  event_id: string;

  @ApiProperty({
    maxLength: 255,
    description: 'The stream (aggregate instance) the event belongs to: `todo-<todo_id>` or `user-<user_id>`.',
  })
  aggregate_id: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Position of the event in its stream, from 1.' })
  aggregate_version: number;

  @ApiProperty({ format: 'date-time' })
  occurred_at: string;

  @ApiProperty({ maxLength: 255, description: 'Id of the business flow: the X-Request-Id of the request that started it.' })
  correlation_id: string;

  @ApiProperty({ maxLength: 255, description: 'What directly caused the event: a request id, or the event_id of an earlier event.' })
  causation_id: string;
}

abstract class TodoEventFields extends EventEnvelopeFields {
  @ApiProperty({ enum: [TODO_AGGREGATE] }) aggregate_type: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) todo_id: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The owner.' }) user_id: number;
}

export class TodoCreatedEvent extends TodoEventFields {
  @ApiProperty({ enum: [TodoEventType.Created] }) event_type: string;
  @ApiProperty({ type: 'integer', enum: [2], description: 'v1 had no description; it is read back as v2 with an empty one.' })
  event_version: number;
  @ApiProperty({ minLength: 1, maxLength: 200 }) title: string;
  @ApiProperty({ maxLength: 2000 }) description: string;
  @ApiProperty({ enum: TODO_PRIORITIES }) priority: TodoPriority;
}

export class TodoEditedEvent extends TodoEventFields {
  @ApiProperty({ enum: [TodoEventType.Edited] }) event_type: string;
  @ApiProperty({ type: 'integer', enum: [1] }) event_version: number;
  @ApiProperty({ minLength: 1, maxLength: 200 }) title: string;
  @ApiProperty({ maxLength: 2000 }) description: string;
}

export class TodoPriorityChangedEvent extends TodoEventFields {
  @ApiProperty({ enum: [TodoEventType.PriorityChanged] }) event_type: string;
  @ApiProperty({ type: 'integer', enum: [1] }) event_version: number;
  @ApiProperty({ enum: TODO_PRIORITIES }) priority: TodoPriority;
  @ApiProperty({ enum: TODO_PRIORITIES }) previous_priority: TodoPriority;
}

export class TodoCompletedEvent extends TodoEventFields {
  @ApiProperty({ enum: [TodoEventType.Completed] }) event_type: string;
  @ApiProperty({ type: 'integer', enum: [1] }) event_version: number;
  @ApiProperty({ minLength: 1, maxLength: 200 }) title: string;
  @ApiProperty({ format: 'date-time' }) completed_at: string;
}

export class TodoReopenedEvent extends TodoEventFields {
  @ApiProperty({ enum: [TodoEventType.Reopened] }) event_type: string;
  @ApiProperty({ type: 'integer', enum: [1] }) event_version: number;
}

export class TodoDeletedEvent extends TodoEventFields {
  @ApiProperty({ enum: [TodoEventType.Deleted] }) event_type: string;
  @ApiProperty({ type: 'integer', enum: [1] }) event_version: number;
}

export class UserRegisteredEvent extends EventEnvelopeFields {
  @ApiProperty({ enum: [UserEventType.Registered] }) event_type: string;
  @ApiProperty({ type: 'integer', enum: [1] }) event_version: number;
  @ApiProperty({ enum: [USER_AGGREGATE] }) aggregate_type: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) user_id: number;
  @ApiProperty({ format: 'email', maxLength: 320, description: 'In lower case.' }) email: string;
  @ApiProperty({ minLength: 1, maxLength: 200 }) name: string;
}

const TODO_EVENTS = {
  [TodoEventType.Created]: TodoCreatedEvent,
  [TodoEventType.Edited]: TodoEditedEvent,
  [TodoEventType.PriorityChanged]: TodoPriorityChangedEvent,
  [TodoEventType.Completed]: TodoCompletedEvent,
  [TodoEventType.Reopened]: TodoReopenedEvent,
  [TodoEventType.Deleted]: TodoDeletedEvent,
};
const PLATFORM_EVENTS = { ...TODO_EVENTS, [UserEventType.Registered]: UserRegisteredEvent };

/** One of the given event models, told apart by `event_type`. */
function eventOneOf(models: Record<string, new () => unknown>) {
  return {
    oneOf: Object.values(models).map((model) => ({ $ref: getSchemaPath(model) })),
    discriminator: {
      propertyName: 'event_type',
      mapping: Object.fromEntries(Object.entries(models).map(([type, model]) => [type, getSchemaPath(model)])),
    },
  };
}

/** Register these (ApiExtraModels) where TODO_EVENT_SCHEMA is used. */
export const TODO_EVENT_MODELS = Object.values(TODO_EVENTS);

/** Any todo event, as the `event` of a todo stream entry. */
export const TODO_EVENT_SCHEMA = eventOneOf(TODO_EVENTS);

/** An event as read back from the store, with its positions. */
@ApiExtraModels(...Object.values(PLATFORM_EVENTS))
export class StoredEventResponse {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Global position: commit order across all streams, from 1.' })
  position: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: "Position in the event's stream, from 1 (its aggregate_version)." })
  version: number;

  @ApiProperty({ ...eventOneOf(PLATFORM_EVENTS), description: 'The event as it travels on the wire.' })
  event: PlatformEvent;
}
