/** AMQP header names the platform sets. */
export const Headers = {
  EventType: 'x-event-type',
  CommandType: 'x-command-type',
  AggregateId: 'x-aggregate-id',
  CorrelationId: 'x-correlation-id',
  CausationId: 'x-causation-id',
  /** 1 for the first delivery; raised each time the message goes through a retry queue. */
  Attempt: 'x-attempt',
  /** Times the message was parked because a dependency (the database) was down; attempts are not spent. */
  OutageRetries: 'x-outage-retries',
  FirstFailureAt: 'x-first-failure-at',
  LastFailureAt: 'x-last-failure-at',
  OriginalRoutingKey: 'x-original-routing-key',
  OriginalExchange: 'x-original-exchange',
  DeadLetterReason: 'x-dead-letter-reason',
  DeadLetterCode: 'x-dead-letter-code',
  DeadLetterStack: 'x-dead-letter-stack',
  DeadLetterConsumer: 'x-dead-letter-consumer',
} as const;
