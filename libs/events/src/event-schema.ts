/**
 * A deliberately small schema language for event contracts: this library imports
 * nothing, so every client (and every other language) can read the rules at a glance.
 */
export type FieldRule = (value: unknown) => string | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Date.parse rolls 2025-02-30 over to March; a real calendar date must survive a round trip. */
function isInstant(value: string): boolean {
  if (!ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const rules = {
  uuid: (): FieldRule => (v) => (typeof v === 'string' && UUID.test(v) ? undefined : 'must be a uuid'),
  text:
    (opts: { min?: number; max: number }): FieldRule =>
    (v) => {
      if (typeof v !== 'string') return 'must be a string';
      if (v.length < (opts.min ?? 0)) return `must be at least ${opts.min} characters`;
      if (v.length > opts.max) return `must be at most ${opts.max} characters`;
      return undefined;
    },
  positiveInt: (): FieldRule => (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? undefined : 'must be a positive integer',
  instant: (): FieldRule => (v) => (typeof v === 'string' && isInstant(v) ? undefined : 'must be an ISO-8601 timestamp'),
  oneOf:
    <T extends string>(values: readonly T[]): FieldRule =>
    (v) =>
      typeof v === 'string' && (values as readonly string[]).includes(v) ? undefined : `must be one of ${values.join(', ')}`,
  email: (): FieldRule => (v) =>
    typeof v === 'string' && /^[^\s@]+@[^\s@]+$/.test(v) && v.length <= 320 ? undefined : 'must be an email address',
};

export type ObjectSchema = Record<string, FieldRule>;

/** Returns the first broken rule as `field must ...`, or undefined when the object fits. */
export function checkObject(value: Record<string, unknown>, schema: ObjectSchema): string | undefined {
  for (const [field, rule] of Object.entries(schema)) {
    if (!(field in value) || value[field] === undefined || value[field] === null) return `${field} is required`;
    const broken = rule(value[field]);
    if (broken) return `${field} ${broken}`;
  }
  return undefined;
}
