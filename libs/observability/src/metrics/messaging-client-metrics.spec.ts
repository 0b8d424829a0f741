import { Registry } from 'prom-client';
import { MessagingClientMetrics, prometheusLabel } from './messaging-client-metrics';

describe('MessagingClientMetrics', () => {
  it('exposes the four messaging metrics under their Prometheus names, attributes as labels', async () => {
    const registry = new Registry();
    const metrics = new MessagingClientMetrics(registry);
    const send = { 'messaging.system.name': 'rabbitmq', 'messaging.operation.name': 'send', 'messaging.destination.name': 'ex:rk' };

    metrics.sent(send);
    metrics.sent({ ...send, 'error.type': 'unroutable' });
    metrics.operation({ ...send, 'messaging.operation.type': 'send', 'server.port': 5672 }, 0.004);
    metrics.consumed({ 'messaging.operation.name': 'process', 'messaging.consumer.group.name': 'q' });
    metrics.processed({ 'messaging.operation.name': 'process', 'messaging.consumer.group.name': 'q' }, 0.2);

    const text = await registry.metrics();
    expect(text).toContain('# TYPE messaging_client_operation_duration_seconds histogram');
    expect(text).toContain(
      'messaging_client_sent_messages_total{messaging_system_name="rabbitmq",messaging_operation_name="send",messaging_destination_name="ex:rk"} 1',
    );
    expect(text).toContain('error_type="unroutable"} 1');
    expect(text).toMatch(
      /messaging_client_operation_duration_seconds_bucket\{le="0.005",[^}]*messaging_operation_type="send",[^}]*server_port="5672"\} 1/,
    );
    expect(text).toContain(
      'messaging_client_consumed_messages_total{messaging_operation_name="process",messaging_consumer_group_name="q"} 1',
    );
    expect(text).toMatch(
      /messaging_process_duration_seconds_bucket\{le="0.25",messaging_operation_name="process",messaging_consumer_group_name="q"\} 1/,
    );
  });

  it('turns an attribute into a label by replacing what Prometheus does not allow with _', () => {
    expect(prometheusLabel('messaging.consumer.group.name')).toBe('messaging_consumer_group_name');
    expect(prometheusLabel('error.type')).toBe('error_type');
  });
});
