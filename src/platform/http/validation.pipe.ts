import { ValidationPipe, type ArgumentMetadata, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { InvalidRequestError, ValidationError, type FieldIssue } from '../errors/domain-errors';

function flatten(errors: ClassValidatorError[], parent = ''): FieldIssue[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** One line for the client: the field and every rule it broke, or the names of the fields at fault. */
function summary(details: FieldIssue[], what: string): string {
  const fields = [...new Set(details.map((d) => d.field))];
  if (fields.length === 1) return `${fields[0]}: ${details.map((d) => d.message).join('; ')}`;
  return `${what}: ${fields.join(', ')}`;
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
      if (metadata.type === 'query' && err instanceof ValidationError) {
        throw new InvalidRequestError(summary(err.details ?? [], 'Invalid query parameters'), err.field);
      }
      throw err;
    }
  }
}

/**
 * Validation of every route's body and query DTO (generated from the spec): unknown fields and
 * parameters are refused (400 for a query, as Stripe does; 422 for a body) and every issue names its field.
 */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ValidationError(summary(details, 'The request body has invalid fields'), details);
    },
  });
}
