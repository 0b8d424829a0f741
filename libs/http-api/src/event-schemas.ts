import { ApiProperty } from '@nestjs/swagger';
import { PLATFORM_CONTRACTS } from '@todo/events';

/**
 * Events of the given types, current version each, as OpenAPI schemas generated from the
 * contracts in libs/events — the very rules consumers validate with — so an API document
 * never describes an event by hand. One of them, told apart by `event_type`.
 */
export function eventsOneOf(types: readonly string[]): { oneOf: Record<string, unknown>[] } {
  return {
    oneOf: types.map((type) => ({
      title: type,
      ...PLATFORM_CONTRACTS.jsonSchema('event', type, PLATFORM_CONTRACTS.currentVersion('event', type)),
    })),
  };
}

/** An event as read back from a store, with its positions; `name` is the schema's name in the document. */
export function storedEventModel(name: string, types: readonly string[]): new () => object {
  class StoredEventModel {
    @ApiProperty({ type: 'integer', minimum: 1, description: 'Global position: commit order across all streams, from 1.' })
    position: number;

    @ApiProperty({ type: 'integer', minimum: 1, description: "Position in the event's stream, from 1 (its aggregate_version)." })
    version: number;

    @ApiProperty({ ...eventsOneOf(types), description: 'The event as it travels on the wire.' })
    event: object;
  }
  Object.defineProperty(StoredEventModel, 'name', { value: name });
  return StoredEventModel;
}
