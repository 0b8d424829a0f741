/**
 * The metadata every command carries. A command asks one service to do something; the
 * topology routes each command type to exactly one consumer queue (never a broadcast),
 * and that service answers with events. On the wire it is one flat JSON object, like an
 * event: these fields and the payload's fields side by side.
 */
export interface CommandEnvelope<TType extends string = string, TVersion extends number = number> {
  /** Unique id of this command (uuid). The receiving service deduplicates on it. */
  command_id: string;
  /** Also the routing key on the commands exchange, e.g. `inventory.reserve`. */
  command_type: TType;
  /** Schema version of the payload for this command type. */
  command_version: TVersion;
  /** What the command acts on (e.g. `order-17`); its consumer handles the commands of one target one at a time. */
  target_id: string;
  /** ISO-8601 instant the command was issued. */
  issued_at: string;
  /** Id of the business flow it belongs to. */
  correlation_id: string;
  /** Id of the message or request that caused it. */
  causation_id: string;
}

export const COMMAND_ENVELOPE_FIELDS = [
  'command_id',
  'command_type',
  'command_version',
  'target_id',
  'issued_at',
  'correlation_id',
  'causation_id',
] as const satisfies readonly (keyof CommandEnvelope)[];

/** The payload part of a flat command. */
export type CommandData<TCommand extends CommandEnvelope> = Omit<TCommand, keyof CommandEnvelope>;

/** A command as a sender decides it, before it gets an id and an envelope. */
export type NewCommand<TCommand extends CommandEnvelope> = TCommand extends CommandEnvelope
  ? { type: TCommand['command_type']; version: TCommand['command_version']; targetId: string; data: CommandData<TCommand> }
  : never;
