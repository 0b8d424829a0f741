import { createHash } from 'node:crypto';
import { Client } from 'pg';

const names = new Map<string, string>();
/** Distinct texts prepared at most; beyond that (generated texts, say) statements run unnamed. */
const MAX_PREPARED = 256;

/**
 * The statement's name, derived from its text so equal text always gets the same name;
 * undefined for a text that is not to be prepared.
 */
function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined) {
    // `*` (SELECT *, RETURNING *): the result's shape follows the table, and PostgreSQL
    // refuses a prepared statement whose result type changed under it (a migration
    // adding a column while this process runs).
    if (text.includes('*') || names.size >= MAX_PREPARED) return undefined;
    name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A pg client that prepares parameterized statements once per connection. pg
 * sends an unnamed statement each time, which PostgreSQL parses and plans on every
 * execution; the same text under a name is parsed once and then only bound and run.
 * The name is a hash of the text, so one text never meets two names; PostgreSQL
 * re-plans a prepared statement by itself when a table it uses changes (a rebuild's
 * table swap, a migration).
 */
export class PreparingClient extends Client {
  // pg's query() has many overloads; only (text, values[, callback]) is rewritten.
  override query(...args: unknown[]): never {
    const [config, values, callback] = args;
    const name = typeof config === 'string' && Array.isArray(values) && values.length > 0 ? nameOf(config) : undefined;
    if (name !== undefined) {
      return (super.query as (...a: unknown[]) => never)({ name, text: config, values }, ...(callback ? [callback] : []));
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
