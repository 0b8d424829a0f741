import { Client } from 'pg';
import { quoteIdent } from '@todo/database';
import { Logger } from '@todo/observability';
import { OUTBOX_CHANNEL } from './outbox-table';

export interface RelayLeadershipOptions {
  databaseUrl: string;
  schema: string;
  logger: Logger;
  /** An append committed (NOTIFY outbox), or the connection was lost: time to look again. */
  wake: () => void;
}

/**
 * Which relay of a schema publishes: the one holding the schema's relay lock (a session
 * advisory lock) on a connection of its own, which also LISTENs for commits. Several
 * instances may run; one publishes, so each key's messages leave in order, and a standby
 * takes over within a poll interval when the active one's session ends.
 */
export class RelayLeadership {
  private connection?: Client;
  private leader = false;

  constructor(private readonly options: RelayLeadershipOptions) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** The connection the leader selects and marks entries on. */
  get client(): Client {
    if (!this.connection) throw new Error('the relay has no database connection');
    return this.connection;
  }

  get isConnected(): boolean {
    return this.connection !== undefined;
  }

  /** Connects (and LISTENs) if needed, then tries to take the lock; true when this relay leads. */
  async claim(): Promise<boolean> {
    const { databaseUrl, schema, logger, wake } = this.options;
    if (!this.connection) {
      const client = new Client({ connectionString: databaseUrl, keepAlive: true, statement_timeout: 30_000 });
      client.on('error', (err) => {
        logger.warn({ err: err.message }, 'Outbox relay connection error');
        if (this.connection === client) this.connection = undefined;
        this.leader = false;
        wake();
      });
      client.on('notification', wake);
      try {
        await client.connect();
        await client.query(`SET search_path TO ${quoteIdent(schema)}`);
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      this.connection = client;
      this.leader = false;
    }
    if (!this.leader) {
      const { rows } = await this.connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `${schema}.outbox-relay`,
      ]);
      this.leader = rows[0].locked;
      if (this.leader) logger.info({ schema }, 'Outbox relay active');
    }
    return this.leader;
  }

  /** Ends the session: the lock goes with it. */
  async release(): Promise<void> {
    const client = this.connection;
    this.connection = undefined;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }
}
