import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/**
 * Starts the OpenTelemetry Node SDK — OTLP export of traces, with HTTP, Express and
 * PostgreSQL instrumentation — when the standard OTEL_* variables ask for it
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set,
 * OTEL_SDK_DISABLED not true). Otherwise does nothing and every span is a no-op.
 *
 * The outbox and the broker hops are traced by the platform's own spans (the trace
 * context is stored with each outbox row and sent as `traceparent`), so the amqplib
 * instrumentation is deliberately not used: it would start a new trace at the relay.
 */
export function startTracing(
  serviceName: string,
  env: Record<string, string | undefined> = process.env,
): { shutdown(): Promise<void> } | undefined {
  const enabled =
    env.OTEL_SDK_DISABLED !== 'true' &&
    env.OTEL_TRACES_EXPORTER !== 'none' &&
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (!enabled) return undefined;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation(), new PgInstrumentation()],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
