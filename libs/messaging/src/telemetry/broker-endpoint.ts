import type { Options } from 'amqplib';
import { AmqpConnection } from '../connection/amqp-connection';
import { BrokerNode } from './messaging-conventions';

const endpoints = new WeakMap<AmqpConnection, BrokerEndpoint>();

/**
 * The broker node a connection is on, for `server.address` and `server.port`: the host and
 * port of the URL it last connected with, as the connection manager reports each connect
 * (no DNS, no socket internals). Unknown until the first connect after it is first asked
 * for, so the messaging module asks as soon as it makes the connection.
 */
export class BrokerEndpoint implements BrokerNode {
  address?: string;
  port?: number;

  private constructor(connection: AmqpConnection) {
    connection.manager.on('connect', ({ url }) => this.connectedTo(url));
  }

  /** The one endpoint of this connection, listening from the first call on. */
  static of(connection: AmqpConnection): BrokerEndpoint {
    let endpoint = endpoints.get(connection);
    if (!endpoint) {
      endpoint = new BrokerEndpoint(connection);
      endpoints.set(connection, endpoint);
    }
    return endpoint;
  }

  private connectedTo(url: string | Options.Connect): void {
    if (typeof url === 'string') {
      const parsed = new URL(url);
      this.address = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
      this.port = parsed.port ? Number(parsed.port) : defaultPort(parsed.protocol.replace(/:$/, ''));
    } else {
      this.address = url.hostname ?? 'localhost';
      this.port = url.port ?? defaultPort(url.protocol ?? 'amqp');
    }
  }
}

function defaultPort(protocol: string): number {
  return protocol === 'amqps' ? 5671 : 5672;
}
