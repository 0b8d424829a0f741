/** Starts the real tracing SDK from the environment, records one span, flushes, exits. */
import { startTracing } from '../../libs/observability/src/tracing/start-tracing';
import { inSpan } from '../../libs/observability/src/tracing/trace-context';

const tracing = startTracing('otlp-smoke');
if (!tracing) {
  process.stdout.write('tracing off\n');
  process.exit(0);
}
void inSpan('smoke span', { attributes: { 'todo.correlation_id': 'smoke' } }, async () => undefined)
  .then(() => tracing.shutdown())
  .then(() => {
    process.stdout.write('tracing flushed\n');
    process.exit(0);
  });
