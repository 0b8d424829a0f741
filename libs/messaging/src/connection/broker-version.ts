import type { Channel, ChannelModel } from 'amqplib';

/** A RabbitMQ release, as the broker names itself when a connection opens (`server_properties.version`). */
export interface BrokerVersion {
  major: number;
  minor: number;
  /** As the broker wrote it, e.g. `3.10.8` or `4.3.5`. */
  text: string;
}

/**
 * Reads `4.3.5`, `4.0.0+2` (a generic build's), `3.10.8` or a bare `4.3` (an image line).
 * @throws on anything else: a version the transport cannot place is not guessed at.
 */
export function parseBrokerVersion(text: string): BrokerVersion {
  const parts = /^(\d+)\.(\d+)(?:\.\d+)?(?:[+-][0-9A-Za-z.+-]*)?$/.exec(text.trim());
  if (!parts) throw new Error(`not a RabbitMQ version: "${text}"`);
  return { major: Number(parts[1]), minor: Number(parts[2]), text: text.trim() };
}

/** The version of the broker a channel (or a connection) is open on: what it announced in connection.start. */
export function brokerVersionOf(channelOrConnection: Channel | ChannelModel): BrokerVersion {
  return parseBrokerVersion(String(channelOrConnection.connection.serverProperties.version));
}

export function isAtLeast(version: BrokerVersion, major: number, minor = 0): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/**
 * From 4.0 every quorum queue has a delivery limit, 20 unless set: a message handed out
 * and given back that often is dead-lettered, or dropped when the queue has no
 * dead-letter exchange. Before 4.0 a quorum queue without `x-delivery-limit` has none.
 */
export function quorumQueuesLimitDeliveries(version: BrokerVersion): boolean {
  return isAtLeast(version, 4, 0);
}

/**
 * The argument that lets a quorum queue hand a message out without limit: `-1` from 4.0.
 * Before 4.0 no argument means no limit, and `-1` would dead-letter a message the first
 * time it is given back, so nothing is set there.
 */
export function unlimitedDeliveries(version: BrokerVersion): Record<string, unknown> {
  return quorumQueuesLimitDeliveries(version) ? { 'x-delivery-limit': -1 } : {};
}

/**
 * The RabbitMQ line the platform ships with: docker-compose.yml runs it (scripts/validate-compose.js
 * checks its images against this line), and what is written for a broker not yet reachable
 * (a definitions file, the AsyncAPI document) is written for it.
 */
export const RABBITMQ_LINE: BrokerVersion = parseBrokerVersion('4.3');
