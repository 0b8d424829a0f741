import { CommandType, EventType, TODO_EVENT_TYPES } from '@todo/events';
import { serviceDescription } from './service-description';

const described = (name: string) => serviceDescription({ name, http: { description: `What ${name} is for.`, tags: {} } });
const line = (text: string, verb: string) => text.split('\n').find((l) => l.startsWith(`- ${verb} `)) ?? '';

describe('serviceDescription', () => {
  it('names every event todo-service publishes, from the contracts and its broker rights: the todo events and user.registered', () => {
    const publishes = line(described('todo-service'), 'Publishes');

    for (const type of [...TODO_EVENT_TYPES, EventType.User.Registered]) expect(publishes).toContain(`\`${type}\``);
    expect(publishes.match(/`[a-z_.]+`/g)).toHaveLength(TODO_EVENT_TYPES.length + 1);
  });

  it('starts with what the service is for, in its own words', () => {
    expect(described('analytics-service').startsWith('What analytics-service is for.\n\n')).toBe(true);
  });

  it('names the commands a service sends and those it receives', () => {
    expect(line(described('order-service'), 'Sends')).toContain(`\`${CommandType.Inventory.Reserve}\``);
    expect(line(described('inventory-service'), 'Receives')).toBe(
      `- Receives \`${CommandType.Inventory.Release}\`, \`${CommandType.Inventory.Reserve}\`, each once (its inbox drops a redelivery).`,
    );
  });

  it('says nothing is published by a service that publishes nothing', () => {
    const notification = described('notification-service');

    expect(line(notification, 'Publishes')).toBe('');
    expect(line(notification, 'Receives')).toContain(`\`${EventType.User.Registered}\``);
  });
});
