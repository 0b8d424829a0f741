import { findUnsafeInput } from './unsafe-keys';
import { ObjectSchema, checkObject, objectJsonSchema, rules } from './event-schema';

/** What a message is: a fact that happened, or a request addressed to one service. */
export type MessageKind = 'event' | 'command';

/** Payload schemas by message type, then by version. The highest version is the current one. */
export type SchemasByVersion = Readonly<Record<number, ObjectSchema>>;
export type SchemasByType = Readonly<Record<string, SchemasByVersion>>;

/** A message in words, written beside its contract: what the published documents say of it. */
export interface MessageDescription {
  /** One line: what happened, or what is asked. */
  summary: string;
  /** What it means, when and by whom it is sent, who receives it and why. */
  description: string;
  /** Each earlier version: how it differs from the current one. */
  earlierVersions?: Readonly<Record<number, string>>;
}
export type DescriptionsByType = Readonly<Record<string, MessageDescription>>;

export type MessageRejection =
  | 'MALFORMED_JSON'
  | 'INVALID_ENVELOPE'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNSUPPORTED_EVENT_VERSION'
  | 'UNKNOWN_COMMAND_TYPE'
  | 'UNSUPPORTED_COMMAND_VERSION'
  | 'INVALID_PAYLOAD';

/** What every consumer needs to know of a message, whatever its kind. */
export interface MessageMeta {
  kind: MessageKind;
  /** event_id or command_id: the inbox deduplicates on it. */
  id: string;
  /** event_type or command_type: the handler is looked up by it. */
  type: string;
  /** aggregate_id or target_id: messages of one key are handled one at a time. */
  key: string;
  correlationId: string;
}

export type ParsedMessage<TMessage = Record<string, unknown>> =
  { ok: true; message: TMessage; meta: MessageMeta } | { ok: false; rejection: MessageRejection; reason: string };

const TEXT_ID = rules.text({ min: 1, max: 255 });

const EVENT_ENVELOPE: ObjectSchema = {
  event_id: rules.uuid(),
  event_type: rules.text({ min: 1, max: 100 }),
  event_version: rules.positiveInt(),
  aggregate_id: TEXT_ID,
  aggregate_type: rules.text({ min: 1, max: 100 }),
  aggregate_version: rules.positiveInt(),
  occurred_at: rules.instant(),
  correlation_id: TEXT_ID,
  causation_id: TEXT_ID,
};

const COMMAND_ENVELOPE: ObjectSchema = {
  command_id: rules.uuid(),
  command_type: rules.text({ min: 1, max: 100 }),
  command_version: rules.positiveInt(),
  target_id: TEXT_ID,
  issued_at: rules.instant(),
  correlation_id: TEXT_ID,
  causation_id: TEXT_ID,
};

interface KindRules {
  envelope: ObjectSchema;
  typeField: string;
  versionField: string;
  keyField: string;
  idField: string;
  unknownType: MessageRejection;
  unsupportedVersion: MessageRejection;
}

const KINDS: Record<MessageKind, KindRules> = {
  event: {
    envelope: EVENT_ENVELOPE,
    typeField: 'event_type',
    versionField: 'event_version',
    keyField: 'aggregate_id',
    idField: 'event_id',
    unknownType: 'UNKNOWN_EVENT_TYPE',
    unsupportedVersion: 'UNSUPPORTED_EVENT_VERSION',
  },
  command: {
    envelope: COMMAND_ENVELOPE,
    typeField: 'command_type',
    versionField: 'command_version',
    keyField: 'target_id',
    idField: 'command_id',
    unknownType: 'UNKNOWN_COMMAND_TYPE',
    unsupportedVersion: 'UNSUPPORTED_COMMAND_VERSION',
  },
};

/**
 * A set of message contracts: the events and commands a party knows, each type with a
 * payload schema per version, and the upcaster that brings an old version to the current
 * one. The platform's set is PLATFORM_CONTRACTS; a consumer must never act on a message
 * that has not passed through its set's `parse`.
 */
export class MessageContracts {
  constructor(
    readonly events: SchemasByType,
    readonly commands: SchemasByType,
    private readonly upcast: (message: Record<string, unknown>, kind: MessageKind) => Record<string, unknown> = (m) => m,
    private readonly descriptions: Readonly<Record<MessageKind, DescriptionsByType>> = { event: {}, command: {} },
  ) {}

  /** What a message type means, when the set says it. */
  description(kind: MessageKind, type: string): MessageDescription | undefined {
    return Object.hasOwn(this.descriptions[kind], type) ? this.descriptions[kind][type] : undefined;
  }

  /** Decodes a message body and validates it; the kind is told by its envelope (`event_type` or `command_type`). */
  parse(raw: Buffer | string): ParsedMessage {
    let value: unknown;
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
    } catch (error) {
      return { ok: false, rejection: 'MALFORMED_JSON', reason: `body is not JSON: ${(error as Error).message}` };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, rejection: 'MALFORMED_JSON', reason: 'body must be a JSON object' };
    }
    return this.validate(value as Record<string, unknown>, 'command_type' in value ? 'command' : 'event');
  }

  /** Validates a decoded value as a message of `kind` against its own version, then upcasts it. */
  validate(value: unknown, kind: MessageKind): ParsedMessage {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, rejection: 'MALFORMED_JSON', reason: 'body must be a JSON object' };
    }
    // Tolerant of unknown fields, but not of keys that reach a prototype when copied, nor of nesting no contract has.
    const unsafe = findUnsafeInput(value);
    if (unsafe) return { ok: false, rejection: 'INVALID_PAYLOAD', reason: unsafe.message };
    const record = value as Record<string, unknown>;
    const rules = KINDS[kind];
    const envelopeProblem = checkObject(record, rules.envelope);
    if (envelopeProblem) return { ok: false, rejection: 'INVALID_ENVELOPE', reason: envelopeProblem };

    const schemas = kind === 'event' ? this.events : this.commands;
    const type = record[rules.typeField] as string;
    const versions = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
    if (!versions) return { ok: false, rejection: rules.unknownType, reason: `unknown ${rules.typeField} ${type}` };

    const version = record[rules.versionField] as number;
    const schema = Object.hasOwn(versions, version) ? versions[version] : undefined;
    if (!schema) {
      return {
        ok: false,
        rejection: rules.unsupportedVersion,
        reason: `${type} version ${version} is not supported (known: ${Object.keys(versions).join(', ')})`,
      };
    }
    const payloadProblem = checkObject(record, schema);
    if (payloadProblem) return { ok: false, rejection: 'INVALID_PAYLOAD', reason: `${type}: ${payloadProblem}` };
    const message = this.upcast(record, kind);
    return {
      ok: true,
      message,
      meta: {
        kind,
        id: message[rules.idField] as string,
        type,
        key: message[rules.keyField] as string,
        correlationId: message.correlation_id as string,
      },
    };
  }

  /**
   * One message type at one version as JSON Schema: the envelope of its kind and its
   * payload, flat, with the type and version fixed — what the published documents show.
   */
  jsonSchema(kind: MessageKind, type: string, version: number): Record<string, unknown> {
    const rules = KINDS[kind];
    const versions = (kind === 'event' ? this.events : this.commands)[type];
    const payload = versions?.[version];
    if (!payload) throw new Error(`no contract for ${kind} ${type} version ${version}`);
    const schema = objectJsonSchema({ ...rules.envelope, ...payload });
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    properties[rules.typeField] = { type: 'string', enum: [type] };
    properties[rules.versionField] = { type: 'integer', enum: [version] };
    return schema;
  }

  /** The current (highest) version of a message type. */
  currentVersion(kind: MessageKind, type: string): number {
    const versions = (kind === 'event' ? this.events : this.commands)[type];
    if (!versions) throw new Error(`no contract for ${kind} ${type}`);
    return Math.max(...Object.keys(versions).map(Number));
  }

  /** The versions of a message type this set accepts, oldest first. */
  versions(kind: MessageKind, type: string): number[] {
    const versions = (kind === 'event' ? this.events : this.commands)[type];
    if (!versions) throw new Error(`no contract for ${kind} ${type}`);
    return Object.keys(versions)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Every event and command type this set knows. */
  types(kind: MessageKind): string[] {
    return Object.keys(kind === 'event' ? this.events : this.commands);
  }
}
