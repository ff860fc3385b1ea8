import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { ValidationError, type FieldIssue } from '../errors/domain-errors';

function flatten(errors: ClassValidatorError[], parent = ''): FieldIssue[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Body validation for every route: unknown fields and type errors → 422 with one entry per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ValidationError(
        details.length === 1 ? `${details[0].field}: ${details[0].message}` : 'The request body has invalid fields',
        details,
      );
    },
  });
}
