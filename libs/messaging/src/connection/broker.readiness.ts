import { Injectable } from '@nestjs/common';
import { ReadinessCheck } from '@todo/observability';
import { AmqpConnection } from './amqp-connection';

@Injectable()
export class BrokerReadiness extends ReadinessCheck {
  readonly name = 'rabbitmq';

  constructor(private readonly connection: AmqpConnection) {
    super();
  }

  async check(): Promise<void> {
    if (!this.connection.isConnected()) throw new Error('not connected');
    if (!this.connection.hasTopology()) throw new Error('connected, topology not declared yet');
  }
}
