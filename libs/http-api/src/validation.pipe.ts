import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from './error-body';
import { findUnsafeInput } from '@todo/events';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function validationFailed(problems: FieldError[]): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    message: problems.flatMap((p) => p.messages).join('; '),
    errors: problems,
  });
}

/**
 * class-validator's pipe, first refusing what it would not: a key such as `__proto__`
 * (JSON.parse makes it an own property, which class-transformer would assign into the
 * prototype, and forbidNonWhitelisted does not see) and nesting deep enough to exhaust
 * the stack of a recursive copy. Both answer like any unknown field.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const unsafe = findUnsafeInput(value);
      if (unsafe) throw validationFailed([{ field: unsafe.field, messages: [unsafe.message] }]);
    }
    return super.transform(value, metadata);
  }
}

/** Validates bodies and queries; unknown fields are rejected, and every problem names its field. */
export function requestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
