import { readFileSync } from 'node:fs';
import {
  COMPOSE_CLUSTER_DEFINITIONS,
  COMPOSE_DEFINITIONS,
  COMPOSE_SERVICE_ROLES,
  composeProvisioning,
} from '../scripts/compose-provisioning';

/** What compose's broker and database load at first start is what the code defines today. */
describe('the compose stack is provisioned from the code', () => {
  it('has the broker definitions and the service roles the code generates (npm run compose:provisioning)', () => {
    const generated = composeProvisioning();
    expect(readFileSync(COMPOSE_DEFINITIONS, 'utf8')).toBe(generated.definitions);
    expect(readFileSync(COMPOSE_CLUSTER_DEFINITIONS, 'utf8')).toBe(generated.clusterDefinitions);
    expect(readFileSync(COMPOSE_SERVICE_ROLES, 'utf8')).toBe(generated.serviceRoles);
  });

  it('gives no definition to guest and one user per service and the operator', () => {
    const users = (JSON.parse(composeProvisioning().definitions) as { users: { name: string }[] }).users.map((u) => u.name);
    expect(users.sort()).toEqual([
      'analytics-service',
      'inventory-service',
      'notification-service',
      'operator',
      'order-service',
      'todo-service',
    ]);
  });

  it('declares every queue of the cluster profile as quorum, dead-lettering at least once', () => {
    const queues = (
      JSON.parse(composeProvisioning().clusterDefinitions) as { queues: { name: string; arguments: Record<string, unknown> }[] }
    ).queues;
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) expect(queue.arguments['x-queue-type']).toBe('quorum');
    const work = queues.find((q) => q.name === 'notification-service')!;
    expect(work.arguments).toMatchObject({ 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' });
  });

  it('writes the queues for the RabbitMQ 4 line compose runs: work queues with their delivery limit, dead-letter queues without any', () => {
    const queues = (
      JSON.parse(composeProvisioning().clusterDefinitions) as { queues: { name: string; arguments: Record<string, unknown> }[] }
    ).queues;
    expect(queues.find((q) => q.name === 'notification-service')!.arguments).toMatchObject({ 'x-delivery-limit': 20 });
    // RabbitMQ 4 would give them its default of 20, and a letter inspected that often would be dropped.
    expect(queues.find((q) => q.name === 'notification-service.dlq')!.arguments).toMatchObject({ 'x-delivery-limit': -1 });
  });
});
