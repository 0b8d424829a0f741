/**
 * A deliberately small schema language for message contracts: this library imports
 * nothing, so every client (and every other language) can read the rules at a glance.
 * Each rule checks a value and also says what it accepts as JSON Schema, so the published
 * contract (the AsyncAPI document) is generated from the very rules consumers apply.
 */
export interface FieldRule {
  (value: unknown): string | undefined;
  /** What the rule accepts, as a JSON Schema fragment. */
  readonly jsonSchema: Readonly<Record<string, unknown>>;
  /** An optional field may be absent (or null); when present it must pass the rule. */
  readonly optional?: boolean;
}

export type ObjectSchema = Record<string, FieldRule>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Date.parse rolls 2025-02-30 over to March; a real calendar date must survive a round trip. */
function isInstant(value: string): boolean {
  if (!ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function rule(check: (value: unknown) => string | undefined, jsonSchema: Record<string, unknown>, optional = false): FieldRule {
  return Object.assign((value: unknown) => check(value), { jsonSchema, optional });
}

export const rules = {
  uuid: (): FieldRule =>
    rule((v) => (typeof v === 'string' && UUID.test(v) ? undefined : 'must be a uuid'), { type: 'string', format: 'uuid' }),
  text: (opts: { min?: number; max: number }): FieldRule =>
    rule(
      (v) => {
        if (typeof v !== 'string') return 'must be a string';
        if (v.length < (opts.min ?? 0)) return `must be at least ${opts.min} characters`;
        if (v.length > opts.max) return `must be at most ${opts.max} characters`;
        return undefined;
      },
      { type: 'string', ...(opts.min ? { minLength: opts.min } : {}), maxLength: opts.max },
    ),
  positiveInt: (opts: { max?: number } = {}): FieldRule =>
    rule(
      (v) => {
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) return 'must be a positive integer';
        if (opts.max !== undefined && v > opts.max) return `must be at most ${opts.max}`;
        return undefined;
      },
      { type: 'integer', minimum: 1, maximum: opts.max ?? Number.MAX_SAFE_INTEGER },
    ),
  nonNegativeInt: (): FieldRule =>
    rule((v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : 'must be a non-negative integer'), {
      type: 'integer',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
    }),
  instant: (): FieldRule =>
    rule((v) => (typeof v === 'string' && isInstant(v) ? undefined : 'must be an ISO-8601 timestamp'), {
      type: 'string',
      format: 'date-time',
    }),
  oneOf: <T extends string>(values: readonly T[]): FieldRule =>
    rule((v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? undefined : `must be one of ${values.join(', ')}`), {
      type: 'string',
      enum: [...values],
    }),
  email: (): FieldRule =>
    rule((v) => (typeof v === 'string' && /^[^\s@]+@[^\s@]+$/.test(v) && v.length <= 320 ? undefined : 'must be an email address'), {
      type: 'string',
      format: 'email',
      maxLength: 320,
    }),
  /** A list of objects, each of `item`'s shape. */
  list: (item: ObjectSchema, opts: { min?: number; max: number }): FieldRule =>
    rule(
      (v) => {
        if (!Array.isArray(v)) return 'must be a list';
        if (v.length < (opts.min ?? 0)) return `must hold at least ${opts.min} item(s)`;
        if (v.length > opts.max) return `must hold at most ${opts.max} items`;
        for (let i = 0; i < v.length; i++) {
          const entry: unknown = v[i];
          if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `[${i}] must be an object`;
          const broken = checkObject(entry as Record<string, unknown>, item);
          if (broken) return `[${i}].${broken}`;
        }
        return undefined;
      },
      { type: 'array', ...(opts.min ? { minItems: opts.min } : {}), maxItems: opts.max, items: objectJsonSchema(item) },
    ),
  /** The field may be absent; when present, `inner` applies. */
  optional: (inner: FieldRule): FieldRule => rule((v) => inner(v), inner.jsonSchema, true),
};

/** Returns the first broken rule as `field must ...`, or undefined when the object fits. */
export function checkObject(value: Record<string, unknown>, schema: ObjectSchema): string | undefined {
  for (const [field, fieldRule] of Object.entries(schema)) {
    const absent = !(field in value) || value[field] === undefined || value[field] === null;
    if (absent) {
      if (fieldRule.optional) continue;
      return `${field} is required`;
    }
    const broken = fieldRule(value[field]);
    if (broken) return `${field} ${broken}`;
  }
  return undefined;
}

/** An object schema as JSON Schema: its fields, the required ones, other fields tolerated (tolerant reader). */
export function objectJsonSchema(schema: ObjectSchema): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(schema).map(([field, fieldRule]) => [field, fieldRule.jsonSchema])),
    required: Object.entries(schema)
      .filter(([, fieldRule]) => !fieldRule.optional)
      .map(([field]) => field),
  };
}
