import { quoteIdent } from './quote-ident';

const quoteLiteral = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** One service's PostgreSQL identity: a login role owning one schema. */
export interface ServiceRole {
  role: string;
  password: string;
  schema: string;
}

/**
 * What an administrator runs (idempotently) so a service reaches its own schema only:
 * a login role without any other right, the schema owned by it (so its migrations
 * create and alter its tables, and nobody else's), and PUBLIC's default rights on the
 * schema taken away. A role owns nothing elsewhere and is granted nothing, so it
 * cannot read another service's schema.
 */
export function serviceRoleStatements({ role, password, schema }: ServiceRole): string[] {
  const r = quoteIdent(role);
  const s = quoteIdent(schema);
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${quoteLiteral(role)}) THEN
         CREATE ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD ${quoteLiteral(password)};
       END IF;
     END $$`,
    `ALTER ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD ${quoteLiteral(password)}`,
    `CREATE SCHEMA IF NOT EXISTS ${s} AUTHORIZATION ${r}`,
    `ALTER SCHEMA ${s} OWNER TO ${r}`,
    // A schema migrated earlier by another role: its tables and sequences move to the service's role too.
    `DO $$ DECLARE o record; BEGIN
       FOR o IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ${quoteLiteral(schema)} AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
                   AND pg_get_userbyid(c.relowner) <> ${quoteLiteral(role)}
                   AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
       LOOP
         EXECUTE format('ALTER %s %I.%I OWNER TO %I',
           CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
           ${quoteLiteral(schema)}, o.relname, ${quoteLiteral(role)});
       END LOOP;
     END $$`,
    `REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`,
  ];
}

/** The platform's services: role, default password (a developer machine's) and schema of each. */
export const PLATFORM_SERVICE_ROLES: readonly ServiceRole[] = [
  { role: 'todo_service', password: 'todo_service', schema: 'todo' },
  { role: 'notification_service', password: 'notification_service', schema: 'notification' },
  { role: 'analytics_service', password: 'analytics_service', schema: 'analytics' },
  { role: 'order_service', password: 'order_service', schema: 'orders' },
  { role: 'inventory_service', password: 'inventory_service', schema: 'inventory' },
];
