import { ConfigError } from '@todo/config';

/** Why a service could not start, in the words of what to do about it. */
export interface StartUpFailure {
  /** A stable name of the cause, to search the logs by: `postgres-role-missing`, `invalid-configuration`, … */
  cause: string;
  /** What to do; absent when the cause is not one a newcomer's setup explains (then the stack is the clue). */
  hint?: string;
  /** With `invalid-configuration`: the variables at fault. */
  variables?: string[];
}

/** Where the service was told its dependencies are, to tell which one did not answer. */
export interface StartUpDependencies {
  databaseUrl?: string;
  amqpUrls?: readonly string[];
}

const SETUP_LOCAL = 'run `npm run setup:local`';

/**
 * Names the likely cause of a failed start (a service's, or a tool's first connection) from
 * the error it ended with: an invalid variable, PostgreSQL or RabbitMQ not running, or a
 * role, database, schema, broker user or vhost that `npm run setup:local` would have
 * created. What it cannot place is `unexpected`.
 */
export function explainStartUpFailure(error: unknown, dependencies?: StartUpDependencies): StartUpFailure {
  if (error instanceof ConfigError) {
    const variables = [...new Set(error.problems.map((problem) => /^[A-Z][A-Z0-9_]*/.exec(problem)?.[0]).filter((v) => v !== undefined))];
    return {
      cause: 'invalid-configuration',
      variables,
      hint:
        `fix ${variables.length > 0 ? variables.join(', ') : 'the configuration'}: ${error.problems.join('; ')} ` +
        '(set in the environment or in .env; .env.example and docs/configuration.md list every variable)',
    };
  }
  const { code, message } = fieldsOf(error);
  switch (code) {
    case '28000': {
      const role = /role "([^"]+)" does not exist/.exec(message)?.[1];
      if (role) {
        return {
          cause: 'postgres-role-missing',
          hint: `PostgreSQL has no role ${role}: ${SETUP_LOCAL} (creates each service's role and schema)`,
        };
      }
      return {
        cause: 'postgres-access-refused',
        hint: `PostgreSQL refused the connection (${message}): allow it in pg_hba.conf, or correct DATABASE_URL`,
      };
    }
    case '28P01':
      return {
        cause: 'postgres-password-refused',
        hint:
          `PostgreSQL refused the password (${message}): ${SETUP_LOCAL} (sets each service's role password, ` +
          'DB_PASSWORD_<ROLE> or the role name), or correct DATABASE_URL',
      };
    case '3D000':
      return {
        cause: 'postgres-database-missing',
        hint: `${capitalize(message)}: ${SETUP_LOCAL} (creates the database, and each service's role and schema)`,
      };
    case '3F000':
    case '42501':
      return {
        cause: 'postgres-schema-not-provisioned',
        hint: `PostgreSQL refused (${message}): ${SETUP_LOCAL} (creates each service's schema, owned by its role)`,
      };
    case 'EADDRINUSE': {
      const { address, port } = endpointOf(error);
      return {
        cause: 'port-in-use',
        hint: `${address ?? 'the address'}:${port ?? '?'} is taken (is the service, or npm start, running already?): stop it, or set PORT`,
      };
    }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        cause: 'host-unknown',
        hint: `${message}: check the host names in DATABASE_URL and AMQP_URL (AMQP_URLS)`,
      };
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return unreachable(error, dependencies);
  }
  if (/ACCESS_REFUSED - Login was refused/.test(message)) {
    return {
      cause: 'rabbitmq-login-refused',
      hint:
        'RabbitMQ refused the login of the user in AMQP_URL: ' +
        `${SETUP_LOCAL} (creates the broker users: one per service with only its rights, and operator for npm run dlq; ` +
        'BROKER_PASSWORD_<USER> or the user name), or correct AMQP_URL',
    };
  }
  if (/ACCESS_REFUSED/.test(message)) {
    return {
      cause: 'rabbitmq-rights-missing',
      hint: `RabbitMQ refused (${message}): ${SETUP_LOCAL} (gives each service's broker user the rights on its part of the topology)`,
    };
  }
  if (/NOT_ALLOWED - vhost .* not found|access to vhost/.test(message)) {
    return {
      cause: 'rabbitmq-vhost-missing',
      hint: `RabbitMQ has no such vhost for this user (${message}): ${SETUP_LOCAL} (creates the vhost AMQP_VHOST with its users)`,
    };
  }
  return { cause: 'unexpected' };
}

/** Nothing answered: which dependency it was, by the port it was reached on. */
function unreachable(error: unknown, dependencies?: StartUpDependencies): StartUpFailure {
  const { address, port } = endpointOf(error);
  const where = `${address ?? '?'}:${port ?? '?'}`;
  const postgresPort = portOf(dependencies?.databaseUrl, 5432);
  const brokerPorts = (dependencies?.amqpUrls ?? ['amqp://127.0.0.1']).map((url) => portOf(url, url.startsWith('amqps:') ? 5671 : 5672));
  if (port === postgresPort) {
    return {
      cause: 'postgres-unreachable',
      hint: `nothing answers at ${where}: is PostgreSQL running on ${where}? (locally, or \`docker compose up -d postgres\`; DATABASE_URL says where)`,
    };
  }
  if (port !== undefined && brokerPorts.includes(port)) {
    return {
      cause: 'rabbitmq-unreachable',
      hint: `nothing answers at ${where}: is RabbitMQ running on ${where}? (locally, or \`docker compose up -d rabbitmq\`; AMQP_URL says where)`,
    };
  }
  return { cause: 'connection-refused', hint: `nothing answers at ${where}: is what the configuration points there running?` };
}

function fieldsOf(error: unknown): { code?: string; message: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  // Node reports a refused connection to a name with two addresses (localhost: ::1 and 127.0.0.1) as one AggregateError.
  const first = (error as { errors?: unknown[] }).errors?.[0];
  return {
    code: typeof code === 'string' ? code : first !== undefined ? fieldsOf(first).code : undefined,
    message: typeof message === 'string' && message !== '' ? message : first !== undefined ? fieldsOf(first).message : String(error),
  };
}

function endpointOf(error: unknown): { address?: string; port?: number } {
  const { address, port, errors } = error as { address?: unknown; port?: unknown; errors?: unknown[] };
  if (typeof port === 'number') return { address: typeof address === 'string' ? address : undefined, port };
  const nested = errors?.map(endpointOf).find((e) => e.port !== undefined);
  if (nested) return nested;
  // Some clients say it only in words: "connect ECONNREFUSED 127.0.0.1:5432".
  const words = /(\S+):(\d+)\s*$/.exec(String((error as { message?: unknown }).message ?? ''));
  return words ? { address: words[1], port: Number(words[2]) } : {};
}

function portOf(url: string | undefined, fallback: number): number {
  try {
    return Number(new URL(url ?? '').port) || fallback;
  } catch {
    return fallback;
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
