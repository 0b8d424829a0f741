import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { Command, CommandBus } from '@nestjs/cqrs';
import { Correlation, JourneyRecorder, activeTraceId, inSpan } from '@todo/observability';

/**
 * Sends a command through the CommandBus inside a span named after it, so traces show the
 * use case, and notes it as a step of its request's journey: how long it took and whether
 * it was accepted (its error code when not).
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly journey: JourneyRecorder,
  ) {}

  /** `userId` or `actingUserId`: whose journey the command is a step of. */
  execute<R>(command: Command<R> & { userId?: number; actingUserId?: number }): Promise<R> {
    const name = command.constructor.name;
    return inSpan(`command ${name}`, { attributes: { 'todo.command': name } }, async () => {
      const startedAt = new Date();
      const started = performance.now();
      const note = (outcome: string, detail?: string) => {
        const correlation = Correlation.current();
        if (!correlation) return;
        this.journey.record({
          kind: 'command',
          correlationId: correlation.correlationId,
          userId: command.userId ?? command.actingUserId,
          name,
          outcome,
          detail,
          startedAt,
          durationMs: performance.now() - started,
          traceId: activeTraceId(),
        });
      };
      try {
        const result = await this.commandBus.execute(command);
        note('ok');
        return result;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        note('rejected', typeof code === 'string' ? code : error instanceof Error ? error.name : 'error');
        throw error;
      }
    });
  }
}
