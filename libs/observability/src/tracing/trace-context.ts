import { Context, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

/** W3C trace context (`traceparent`, `tracestate`) as stored on an outbox row and sent in AMQP headers. */
export type TraceCarrier = Record<string, string>;

export const TRACER_NAME = 'todo-platform';

/** The current trace context as a carrier; empty when tracing is off. */
export function currentTraceCarrier(): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The trace context a carrier (an outbox row, a message's headers) continues. */
export function contextFrom(carrier: Record<string, unknown> | undefined | null): Context {
  const strings: TraceCarrier = {};
  for (const [key, value] of Object.entries(carrier ?? {})) if (typeof value === 'string') strings[key] = value;
  return propagation.extract(context.active(), strings);
}

/**
 * Runs `work` in a new span (a no-op span when tracing is off), ending it when the work
 * settles and marking it failed when the work throws.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Record<string, string | number | boolean | undefined>; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: defined(options.attributes) }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** The active span's ids, for log lines; empty when tracing is off. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

function defined(attributes: Record<string, string | number | boolean | undefined> | undefined): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

export { SpanKind };
