import { ValidationPipe, type ArgumentMetadata, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { InvalidRequestError, ValidationError, type FieldIssue } from '../errors/domain-errors';

function flatten(errors: ClassValidatorError[], parent = ''): FieldIssue[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The contract answers a bad body with 422 but a bad query parameter (unknown filter value, page
 * out of range, a parameter the route does not take) with 400 naming the parameter.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      if (metadata.type === 'query' && err instanceof ValidationError) throw new InvalidRequestError(err.message, err.field);
      throw err;
    }
  }
}

/** Validation of every route's body and query DTO (generated from the spec): unknown fields and type errors name the field. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
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
