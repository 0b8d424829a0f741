import {
  Context,
  INVALID_SPAN_CONTEXT,
  Link,
  ProxyTracerProvider,
  Span,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';

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

type Attributes = Record<string, string | number | boolean | undefined>;

/** The provider the API falls back to while no SDK is registered. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
const NON_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** True once a tracer provider (the SDK, a test's in-memory one) is registered. */
export function isTracingOn(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_PROVIDER);
}

/**
 * Runs `work` in a new span, ending it when the work settles and marking it failed when
 * the work throws. With tracing off, `work` runs as is: attributes and parent, which may
 * be given as functions, are then never computed (this sits on every message's path).
 */
export async function inSpan<T>(
  name: string,
  options: {
    kind?: SpanKind;
    attributes?: Attributes | (() => Attributes);
    parent?: Context | (() => Context);
    links?: (parent: Context) => Link[];
  },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  if (!isTracingOn()) return work(NON_RECORDING);
  const tracer = trace.getTracer(TRACER_NAME);
  const parent = (typeof options.parent === 'function' ? options.parent() : options.parent) ?? context.active();
  const attributes = typeof options.attributes === 'function' ? options.attributes() : options.attributes;
  const span = tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: defined(attributes), links: options.links?.(parent) },
    parent,
  );
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

/**
 * Starts a span whose work is not one function (it ends when a callback comes), or
 * returns undefined with tracing off; `describe` is then never called.
 */
export function startSpan(
  describe: () => { name: string; kind: SpanKind; attributes?: Attributes; links?: Link[] },
  parent: Context = context.active(),
): Span | undefined {
  if (!isTracingOn()) return undefined;
  const { name, kind, attributes, links } = describe();
  return trace.getTracer(TRACER_NAME).startSpan(name, { kind, attributes: defined(attributes), links }, parent);
}

/** Ends a span, marked failed with the error and its error.type when there is one. */
export function endSpan(span: Span | undefined, failure?: { error: unknown; errorType: string }): void {
  if (!span) return;
  if (failure) {
    span.setAttribute('error.type', failure.errorType);
    if (failure.error instanceof Error) span.recordException(failure.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.error instanceof Error ? failure.error.message : failure.errorType });
  }
  span.end();
}

/** The link to the span a context carries (a message's creation context), if it carries a valid one. */
export function linkTo(parent: Context): Link[] {
  const spanContext = trace.getSpanContext(parent);
  return spanContext && trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
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
