import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

/** A SKU as the path names it: letters, digits, `.`, `_`, `-`; 1 to 64 characters. */
export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

@Injectable()
export class SkuPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SKU_PATTERN.test(value)) {
      const message = 'sku must be 1 to 64 letters, digits, dots, dashes or underscores';
      throw new BadRequestException({ code: 'VALIDATION_FAILED', message, errors: [{ field: 'sku', messages: [message] }] });
    }
    return value;
  }
}

export const ApiSkuParam = (): MethodDecorator =>
  ApiParam({
    name: 'sku',
    description: 'The stock-keeping unit.',
    schema: { type: 'string', pattern: SKU_PATTERN.source, example: 'KB-1' },
  });
