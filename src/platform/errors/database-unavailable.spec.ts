import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';
import { mapError } from './error-mapping';

/** A pg DatabaseError as node-postgres builds it: a message and a SQLSTATE code. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('database unavailable → 503 service_unavailable with Retry-After', () => {
  const cases: [string, unknown][] = [
    ['statement timeout (57014)', new QueryFailedError('SELECT 1', [], pgError('57014', 'canceling statement due to statement timeout'))],
    ['idle-in-transaction termination (25P03)', pgError('25P03', 'terminating connection due to idle-in-transaction timeout')],
    ['pool acquire timeout (pg-pool, no code)', new Error('timeout exceeded when trying to connect')],
    ['connection ended under a query', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
    ['the next statement of a transaction whose session was ended', new QueryRunnerAlreadyReleasedError()],
    ['the same, through the transaction\'s manager', new QueryRunnerProviderAlreadyReleasedError()],
    ['a dead client used again', new Error('Client has encountered a connection error and is not queryable')],
    ['server out of connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['connection failure class 08', pgError('08006', 'connection failure')],
    ['socket refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ];

  it.each(cases)('%s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    const m = mapError(err, 'req_5');
    expect(m.status).toBe(503);
    expect(m.headers).toEqual({ 'Retry-After': '2' });
    expect(m.unexpected).toBe(false);
    expect(m.body.error).toMatchObject({ code: 'service_unavailable', request_id: 'req_5' });
    expect(JSON.stringify(m.body)).not.toMatch(/SELECT|timeout exceeded|terminat/);
  });

  it('leaves real bugs as 500', () => {
    const bugs = [
      new QueryFailedError('SELECT x', [], pgError('42703', 'column "x" does not exist')),
      pgError('23505', 'duplicate key value violates unique constraint'),
      new Error('Connection terminated by a message that only looks similar: not the driver'),
      new TypeError('cannot read properties of undefined'),
    ];
    for (const err of bugs) {
      expect(isDatabaseUnavailable(err)).toBe(false);
      expect(mapError(err, 'r').status).toBe(500);
    }
  });

  it('finds the cause of a wrapped error', () => {
    const wrapped = new Error('Connection terminated due to connection timeout', { cause: new Error('x') });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: pgError('57014', 'canceled') }))).toBe(true);
  });
});
