import { OrderCancelReason, ShortLine } from '@todo/events';

/**
 * The order saga's states: it reserves the order's stock, then the order is confirmed or
 * cancelled. An ended saga never changes its outcome; a reply that comes too late is
 * answered by compensation.
 */
export type SagaState = 'reserving' | 'confirmed' | 'cancelled';

/** What happens to a saga: the order was placed, inventory answered, the deadline passed, the user cancelled. */
export type SagaInput =
  | { kind: 'order-placed'; orderPending: boolean }
  | { kind: 'reserved' }
  | { kind: 'reserve-failed'; short: ShortLine[] }
  | { kind: 'released' }
  | { kind: 'deadline-passed' }
  | { kind: 'user-cancelled' };

/** A command the saga sends to inventory. */
export type SagaCommand = 'reserve' | 'release';

/** What the order aggregate is asked to do. */
export type OrderOutcome = { kind: 'confirm' } | { kind: 'cancel'; reason: OrderCancelReason; short?: ShortLine[] };

export type StepKind = 'started' | 'command' | 'reply' | 'timeout' | 'compensation' | 'outcome' | 'ignored';

export interface SagaStep {
  kind: StepKind;
  name: string;
  detail?: Record<string, unknown>;
}

export interface SagaTransition {
  /** The state after; the same as before when nothing changes. */
  state: SagaState;
  outcome?: OrderOutcome;
  commands: SagaCommand[];
  steps: SagaStep[];
  /** Counted as a compensation (something reserved is given back). */
  compensates: boolean;
}

/**
 * The saga's decisions, pure: given its state (undefined before it starts) and what
 * happened, the next state, the order's outcome, the commands to send and the steps to
 * record. The handler carries them out in one transaction.
 */
export function transition(state: SagaState | undefined, input: SagaInput): SagaTransition {
  const stay = (steps: SagaStep[], commands: SagaCommand[] = [], compensates = false): SagaTransition => ({
    state: state ?? 'cancelled',
    commands,
    steps,
    compensates,
  });
  switch (input.kind) {
    case 'order-placed':
      if (state !== undefined) return stay([{ kind: 'ignored', name: 'order.created seen again' }]);
      if (!input.orderPending) {
        // The user cancelled before the saga began: nothing was asked of inventory, nothing to give back.
        return {
          state: 'cancelled',
          commands: [],
          steps: [{ kind: 'started', name: 'order already cancelled; nothing reserved' }],
          compensates: false,
        };
      }
      return {
        state: 'reserving',
        commands: ['reserve'],
        steps: [
          { kind: 'started', name: 'saga started' },
          { kind: 'command', name: 'inventory.reserve' },
        ],
        compensates: false,
      };
    case 'reserved':
      if (state === 'reserving') {
        return {
          state: 'confirmed',
          outcome: { kind: 'confirm' },
          commands: [],
          steps: [
            { kind: 'reply', name: 'inventory.reserved' },
            { kind: 'outcome', name: 'order.confirmed' },
          ],
          compensates: false,
        };
      }
      if (state === 'cancelled') {
        // Too late: the order is cancelled already, so what was reserved goes back.
        return stay(
          [
            { kind: 'reply', name: 'inventory.reserved (late)' },
            { kind: 'compensation', name: 'inventory.release' },
          ],
          ['release'],
          true,
        );
      }
      return stay([{ kind: 'ignored', name: 'inventory.reserved seen again' }]);
    case 'reserve-failed':
      if (state === 'reserving') {
        return {
          state: 'cancelled',
          outcome: { kind: 'cancel', reason: 'out_of_stock', short: input.short },
          commands: [],
          steps: [
            { kind: 'reply', name: 'inventory.reserve_failed', detail: { lines_short: input.short } },
            { kind: 'outcome', name: 'order.cancelled', detail: { reason: 'out_of_stock' } },
          ],
          compensates: false,
        };
      }
      return stay([{ kind: 'ignored', name: 'inventory.reserve_failed after the saga ended' }]);
    case 'released':
      return stay([{ kind: 'reply', name: 'inventory.released' }]);
    case 'deadline-passed':
      if (state !== 'reserving') return stay([{ kind: 'ignored', name: 'deadline after the saga ended' }]);
      return {
        state: 'cancelled',
        outcome: { kind: 'cancel', reason: 'timeout' },
        commands: ['release'],
        steps: [
          { kind: 'timeout', name: 'no answer from inventory in time' },
          { kind: 'compensation', name: 'inventory.release' },
          { kind: 'outcome', name: 'order.cancelled', detail: { reason: 'timeout' } },
        ],
        compensates: true,
      };
    case 'user-cancelled':
      if (state === undefined) {
        // Cancelled before the saga began: nothing was asked of inventory, so nothing to give back.
        return {
          state: 'cancelled',
          outcome: { kind: 'cancel', reason: 'user_cancelled' },
          commands: [],
          steps: [{ kind: 'outcome', name: 'order.cancelled', detail: { reason: 'user_cancelled' } }],
          compensates: false,
        };
      }
      if (state !== 'reserving') return stay([{ kind: 'ignored', name: 'cancel after the saga ended' }]);
      return {
        state: 'cancelled',
        outcome: { kind: 'cancel', reason: 'user_cancelled' },
        commands: ['release'],
        steps: [
          { kind: 'compensation', name: 'inventory.release' },
          { kind: 'outcome', name: 'order.cancelled', detail: { reason: 'user_cancelled' } },
        ],
        compensates: true,
      };
  }
}
