import { Span, trace } from '@opentelemetry/api';

/** What kind of step of a flow a service took part in. */
export type JourneyStepKind = 'http' | 'command' | 'message' | 'mail';

/**
 * One thing a service did for a correlation id: a write request it answered, a command it
 * ran, one attempt at handling a message, a mail it sent. Together with the events in the
 * store and the outbox's publishes, the steps of every service tell one request's journey.
 */
export interface JourneyStep {
  kind: JourneyStepKind;
  correlationId: string;
  /** The user the step was for, when known: only they (and admins) may read it. */
  userId?: number;
  /** `POST /todos`, `CreateTodoCommand`, the consumer's queue, the recipient. */
  name: string;
  /** The message handled or mailed about, for message and mail steps. */
  messageId?: string;
  messageType?: string;
  attempt?: number;
  /** `201`, `ok`, `processed`, `duplicate`, `retry`, `parked`, `dead_lettered`, `sent`, `failed`. */
  outcome: string;
  /** Why it failed, or what it produced. */
  detail?: string;
  startedAt: Date;
  durationMs: number;
  traceId?: string;
}

/**
 * Where a service notes its journey steps. Recording never waits and never fails the work
 * it describes: the steps are diagnostics, written in the background.
 */
export abstract class JourneyRecorder {
  abstract record(step: JourneyStep): void;
}

/** A span's trace id; undefined for the no-op span of tracing turned off (all zeros). */
export function traceIdOf(span: Span | undefined): string | undefined {
  const traceId = span?.spanContext().traceId;
  return traceId && !/^0+$/.test(traceId) ? traceId : undefined;
}

/** The active span's trace id, if tracing is on and a span is active. */
export function activeTraceId(): string | undefined {
  return traceIdOf(trace.getActiveSpan());
}
