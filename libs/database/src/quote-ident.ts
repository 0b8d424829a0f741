/** A PostgreSQL identifier (schema, table) quoted for interpolation into SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
