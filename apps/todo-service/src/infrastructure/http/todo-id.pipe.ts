import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Todo ids are positive integers, as in the seed's `/todos/1/complete`. */
@Injectable()
export class TodoIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'id must be a positive integer',
        errors: [{ field: 'id', messages: ['id must be a positive integer'] }],
      });
    }
    return id;
  }
}
