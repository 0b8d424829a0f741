import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SagaState, SagaStep } from '../domain/order-saga';

export interface SagaRow {
  order_id: number;
  state: SagaState;
  version: number;
  deadline_at: Date | null;
  correlation_id: string;
  trace_context: Record<string, string>;
  started_at: Date;
  ended_at: Date | null;
}

export interface SagaStepRow {
  at: Date;
  kind: string;
  name: string;
  detail: Record<string, unknown>;
  correlation_id: string;
  trace_id: string | null;
}

/** The steps one decision adds to a saga's history, and the flow and trace they belong to. */
export interface StepTrail {
  steps: readonly SagaStep[];
  correlationId: string;
  traceId: string | undefined;
}

/** `INSERT INTO saga_steps` of a trail's steps for the order in `source`, its parameters from `$first` on (see stepParameters). */
const INSERT_STEPS_FROM = (source: string, first: number): string =>
  `INSERT INTO saga_steps (order_id, kind, name, detail, correlation_id, trace_id)
   SELECT ${source}.order_id, s.kind, s.name, s.detail, $${first}, $${first + 1}
     FROM ${source}, unnest($${first + 2}::text[], $${first + 3}::text[], $${first + 4}::jsonb[]) AS s (kind, name, detail)`;

function stepParameters({ steps, correlationId, traceId }: StepTrail): unknown[] {
  return [
    correlationId,
    traceId ?? null,
    steps.map((s) => s.kind),
    steps.map((s) => s.name),
    steps.map((s) => JSON.stringify(s.detail ?? {})),
  ];
}

/** Another message changed the saga since it was read: the transaction rolls back and the message is retried. */
export class SagaConflictError extends Error {
  constructor(orderId: number, version: number) {
    super(`the saga of order ${orderId} moved past version ${version}; deciding again`);
    this.name = 'SagaConflictError';
  }
}

/**
 * The saga's rows, in the caller's transaction. Concurrency is optimistic: every change
 * names the version it was decided on, and a change to a moved saga fails (and its
 * message is retried on the saga as it is now). Deadlines are claimed with a row lock
 * that skips the locked, so instances share the sweep.
 */
@Injectable()
export class SagaRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get(tx: EntityManager, orderId: number): Promise<SagaRow | undefined> {
    const [row] = await tx.query(`SELECT * FROM order_sagas WHERE order_id = $1`, [orderId]);
    return row as SagaRow | undefined;
  }

  /** Starts the saga of an order and records its first steps, in one statement. */
  async start(
    tx: EntityManager,
    saga: { orderId: number; state: SagaState; deadlineAt: Date | null; correlationId: string; traceContext: Record<string, string> },
    trail: StepTrail,
  ): Promise<void> {
    await tx.query(
      `WITH saga AS (
         INSERT INTO order_sagas (order_id, state, version, deadline_at, correlation_id, trace_context, ended_at)
         VALUES ($1, $2::text, 1, $3, $4, $5, CASE WHEN $2::text = 'reserving' THEN NULL ELSE now() END)
         RETURNING order_id)
       ${INSERT_STEPS_FROM('saga', 6)}`,
      [saga.orderId, saga.state, saga.deadlineAt, saga.correlationId, JSON.stringify(saga.traceContext), ...stepParameters(trail)],
    );
  }

  /**
   * Moves the saga to `state` and records the steps, in one statement.
   * @throws SagaConflictError when the saga is no longer at `version` (nothing is written).
   */
  async move(tx: EntityManager, orderId: number, version: number, state: SagaState, trail: StepTrail): Promise<void> {
    const [{ moved }]: { moved: number }[] = await tx.query(
      `WITH moved AS (
         UPDATE order_sagas
            SET state = $3::text, version = version + 1,
                deadline_at = CASE WHEN $3::text = 'reserving' THEN deadline_at END,
                ended_at = CASE WHEN $3::text = 'reserving' THEN NULL ELSE coalesce(ended_at, now()) END
          WHERE order_id = $1 AND version = $2
         RETURNING order_id),
       steps AS (${INSERT_STEPS_FROM('moved', 4)} RETURNING 1)
       SELECT count(*)::int AS moved FROM moved`,
      [orderId, version, state, ...stepParameters(trail)],
    );
    if (moved !== 1) throw new SagaConflictError(orderId, version);
  }

  /** Records steps that leave the saga where it is (a reply seen again, a late one answered). */
  async record(tx: EntityManager, orderId: number, trail: StepTrail): Promise<void> {
    if (trail.steps.length === 0) return;
    await tx.query(`WITH saga AS (SELECT $1::int AS order_id) ${INSERT_STEPS_FROM('saga', 2)}`, [orderId, ...stepParameters(trail)]);
  }

  async history(orderId: number): Promise<SagaStepRow[]> {
    return this.dataSource.query(
      `SELECT at, kind, name, detail, correlation_id, trace_id FROM saga_steps WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
  }

  async find(orderId: number): Promise<SagaRow | undefined> {
    return this.get(this.dataSource.manager, orderId);
  }

  /** Sagas whose deadline has passed, oldest first (a hint: each is claimed again under a lock). */
  async pastDeadline(limit: number): Promise<number[]> {
    const rows: { order_id: number }[] = await this.dataSource.query(
      `SELECT order_id FROM order_sagas WHERE state = 'reserving' AND deadline_at <= now() ORDER BY deadline_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.order_id);
  }

  /** Locks a saga whose deadline has passed, unless another instance holds it or it has moved on. */
  async claimPastDeadline(tx: EntityManager, orderId: number): Promise<SagaRow | undefined> {
    const [row] = await tx.query(
      `SELECT * FROM order_sagas WHERE order_id = $1 AND state = 'reserving' AND deadline_at <= now() FOR UPDATE SKIP LOCKED`,
      [orderId],
    );
    return row as SagaRow | undefined;
  }
}
