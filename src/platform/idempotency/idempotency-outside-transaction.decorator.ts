import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENCY_OUTSIDE_TRANSACTION = 'cbapi:idempotency-outside-transaction';

/**
 * For routes that call out over the network (a card processor): with an `Idempotency-Key`, the route
 * does NOT run inside the idempotency transaction — its services commit their own transactions
 * around the call. The key is claimed and committed first, the route runs, and its response is
 * stored afterwards in a transaction of its own (IdempotencyService.executeOutsideTransaction).
 */
export const IdempotencyOutsideTransaction = (): MethodDecorator => SetMetadata(IDEMPOTENCY_OUTSIDE_TRANSACTION, true);
