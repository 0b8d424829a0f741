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

  async start(
    tx: EntityManager,
    saga: { orderId: number; state: SagaState; deadlineAt: Date | null; correlationId: string; traceContext: Record<string, string> },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO order_sagas (order_id, state, version, deadline_at, correlation_id, trace_context, ended_at)
       VALUES ($1, $2::text, 1, $3, $4, $5, CASE WHEN $2::text = 'reserving' THEN NULL ELSE now() END)`,
      [saga.orderId, saga.state, saga.deadlineAt, saga.correlationId, JSON.stringify(saga.traceContext)],
    );
  }

  /** @throws SagaConflictError when the saga is no longer at `version`. */
  async move(tx: EntityManager, orderId: number, version: number, state: SagaState): Promise<void> {
    const [, changed]: [unknown, number] = await tx.query(
      `UPDATE order_sagas
          SET state = $3::text, version = version + 1,
              deadline_at = CASE WHEN $3::text = 'reserving' THEN deadline_at END,
              ended_at = CASE WHEN $3::text = 'reserving' THEN NULL ELSE coalesce(ended_at, now()) END
        WHERE order_id = $1 AND version = $2`,
      [orderId, version, state],
    );
    if (changed !== 1) throw new SagaConflictError(orderId, version);
  }

  async record(
    tx: EntityManager,
    orderId: number,
    steps: readonly SagaStep[],
    correlationId: string,
    traceId: string | undefined,
  ): Promise<void> {
    if (steps.length === 0) return;
    await tx.query(
      `INSERT INTO saga_steps (order_id, kind, name, detail, correlation_id, trace_id)
       SELECT $1, kind, name, detail, $5, $6 FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS s (kind, name, detail)`,
      [
        orderId,
        steps.map((s) => s.kind),
        steps.map((s) => s.name),
        steps.map((s) => JSON.stringify(s.detail ?? {})),
        correlationId,
        traceId ?? null,
      ],
    );
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
