import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

const INT4_MAX = 2_147_483_647;

/** A path parameter that must be a positive 32-bit integer, as ids are (`/todos/1/complete`). */
@Injectable()
export class PositiveIntPipe implements PipeTransform<string, number> {
  constructor(private readonly field: string = 'id') {}

  transform(value: string): number {
    const id = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1 || id > INT4_MAX) {
      const message = `${this.field} must be a positive integer`;
      throw new BadRequestException({ code: 'VALIDATION_FAILED', message, errors: [{ field: this.field, messages: [message] }] });
    }
    return id;
  }
}

/** Documents a path parameter read through PositiveIntPipe. */
export const ApiPositiveIntParam = (name: string, description: string): MethodDecorator =>
  ApiParam({ name, description, schema: { type: 'integer', minimum: 1, maximum: INT4_MAX, example: 1 } });
