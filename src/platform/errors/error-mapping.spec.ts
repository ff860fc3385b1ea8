import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ConflictError, RateLimitError, ValidationError } from './domain-errors';
import { mapError } from './error-mapping';

describe('mapError', () => {
  it('maps domain errors to their code and status', () => {
    const m = mapError(new ConflictError('SKU taken', 'sku'), 'req_1');
    expect(m.status).toBe(409);
    expect(m.body).toEqual({
      error: { code: 'conflict', message: 'SKU taken', field: 'sku', request_id: 'req_1' },
      meta: { request_id: 'req_1' },
    });
  });

  it('keeps validation details', () => {
    const m = mapError(new ValidationError('Invalid body', [{ field: 'name', message: 'required' }]), 'r');
    expect(m.status).toBe(422);
    expect(m.body.error.details).toEqual([{ field: 'name', message: 'required' }]);
    expect(m.body.error.field).toBe('name');
  });

  it('sets Retry-After on rate limits', () => {
    expect(mapError(new RateLimitError(7), 'r').headers).toEqual({ 'Retry-After': '7' });
  });

  it('maps malformed JSON from the body parser to 400', () => {
    const parserError = Object.assign(new SyntaxError('Unexpected token } in JSON at position 1'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    });
    const m = mapError(parserError, 'r');
    expect(m.status).toBe(400);
    expect(m.body.error).toMatchObject({ code: 'invalid_request', message: 'Request body is not valid JSON' });
  });

  it('maps Nest\'s wrapped body-parser failure to the same message', () => {
    const wrapped = new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'");
    expect(mapError(wrapped, 'r').body.error.message).toBe('Request body is not valid JSON');
  });

  it('maps an unknown route to the not_found envelope', () => {
    const m = mapError(new NotFoundException(), 'r', 'GET /api/v1/nope');
    expect(m.status).toBe(404);
    expect(m.body.error.message).toBe('No route matches GET /api/v1/nope');
  });

  it('never leaks internals of unexpected errors', () => {
    const m = mapError(new Error('relation "secret_table" does not exist at /src/x.ts:1'), 'req_9');
    expect(m.status).toBe(500);
    expect(m.unexpected).toBe(true);
    expect(JSON.stringify(m.body)).not.toMatch(/secret_table|x\.ts/);
    expect(m.body.error.request_id).toBe('req_9');
  });

  it('does not echo framework 400 messages', () => {
    expect(mapError(new BadRequestException('raw detail'), 'r').body.error.message).toBe('Invalid request');
  });
});
