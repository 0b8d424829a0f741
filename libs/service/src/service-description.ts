import { messagesOf } from '@todo/messaging';
import { ServiceDefinition } from './service-definition';

/**
 * What a service's OpenAPI document says of it: what the service is for, in its definition's
 * words, then the messages it publishes, sends and receives, derived from the contracts and
 * the topology so that the list is never one written by hand.
 */
export function serviceDescription(definition: Pick<ServiceDefinition, 'name' | 'http'>): string {
  const { publishes, sends, receives } = messagesOf(definition.name);
  const codes = (types: string[]) => types.map((type) => `\`${type}\``).join(', ');
  const messages = [
    publishes.length > 0 ? `- Publishes ${codes(publishes)}, each through its transactional outbox.` : undefined,
    sends.length > 0 ? `- Sends ${codes(sends)}, each to its one consumer.` : undefined,
    receives.length > 0 ? `- Receives ${codes(receives)}, each once (its inbox drops a redelivery).` : undefined,
  ].filter((line) => line !== undefined);
  return [
    definition.http.description,
    ...(messages.length > 0 ? [`On the broker:\n\n${messages.join('\n')}`] : []),
    'What every message means and carries: the AsyncAPI document, as a page at [/asyncapi](/asyncapi) and as JSON at /asyncapi.json.',
  ].join('\n\n');
}
