/** Keys that would reach an object's prototype if copied by assignment; never a field of any request or message. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than any request of the platform nests (a body is at most two levels deep). */
export const MAX_INPUT_DEPTH = 8;

/** A UTF-16 surrogate without its pair: text no UTF-8 can carry, on which validators (and PostgreSQL) fail. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnsafeInput {
  field: string;
  message: string;
}

/**
 * The first prototype key, over-deep nesting or ill-formed text (a lone surrogate, which
 * JSON's `\ud800` escape can carry) in a parsed JSON value, found without recursion (a
 * hostile body may nest thousands of levels), or undefined.
 */
export function findUnsafeInput(value: unknown, maxDepth = MAX_INPUT_DEPTH): UnsafeInput | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string' && LONE_SURROGATE.test(current)) {
      return { field: path || '(body)', message: `${path || 'the body'} is not well-formed text: it holds a lone UTF-16 surrogate` };
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return { field: path || '(body)', message: `${path || 'the body'} nests deeper than ${maxDepth} levels` };
    for (const key of Object.keys(current)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { field, message: `property ${key} should not exist` };
      if (LONE_SURROGATE.test(key)) return { field, message: `a field name is not well-formed text: it holds a lone UTF-16 surrogate` };
      pending.push({ value: (current as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}
