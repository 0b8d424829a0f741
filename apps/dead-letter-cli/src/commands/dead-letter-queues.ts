import { Injectable, OnModuleDestroy } from '@nestjs/common';
import amqplib, { ChannelModel } from 'amqplib';
import { DeadLetter, DeadLetterQueue, PLATFORM_TOPOLOGY } from '@todo/messaging';
import { DeadLetterCliConfig } from '../config/dead-letter-cli.config';

/** Opens the dead-letter queue of a consumer named on the command line. */
@Injectable()
export class DeadLetterQueues implements OnModuleDestroy {
  private connection?: ChannelModel;

  constructor(private readonly config: DeadLetterCliConfig) {}

  async of(consumerName: string): Promise<DeadLetterQueue> {
    const consumer = PLATFORM_TOPOLOGY.consumers.find((c) => c.queue === consumerName);
    if (!consumer) {
      const known = PLATFORM_TOPOLOGY.consumers.map((c) => c.queue).join(', ');
      throw new Error(`unknown consumer "${consumerName}"; known: ${known}`);
    }
    this.connection ??= await amqplib.connect(this.config.AMQP_URL, { clientProperties: { connection_name: 'dead-letter-cli' } });
    return new DeadLetterQueue(this.connection, consumer);
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection?.close();
  }
}

/** The command line's output channel: plain text for people, JSON with --json. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function describeLetter(letter: DeadLetter): string {
  return [
    `message id:     ${letter.messageId}`,
    `event type:     ${letter.eventType ?? '-'}`,
    `routing key:    ${letter.originalRoutingKey ?? '-'}`,
    `code:           ${letter.code}`,
    `reason:         ${letter.reason}`,
    `attempts:       ${letter.attempts}`,
    `first failure:  ${letter.firstFailureAt ?? '-'}`,
    `last failure:   ${letter.lastFailureAt ?? '-'}`,
  ].join('\n');
}
