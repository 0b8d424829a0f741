import { Command, CommandBus } from '@nestjs/cqrs';
import { inSpan } from '@todo/observability';

/** Sends a command through the CommandBus inside a span named after it, so traces show the use case. */
export function executeCommand<R>(commandBus: CommandBus, command: Command<R>): Promise<R> {
  return inSpan(`command ${command.constructor.name}`, { attributes: { 'todo.command': command.constructor.name } }, () =>
    commandBus.execute(command),
  );
}
