import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../../platform/auth/auth.decorator';
import { rawBodyOf } from '../../../../platform/http/raw-body';
import { IdempotencyOutsideTransaction } from '../../../../platform/idempotency/idempotency-outside-transaction.decorator';
import { StripeWebhooksService } from './stripe-webhooks.service';

/** Stripe's events in. Public: the Stripe-Signature over the raw body is the credential. */
@Controller('webhooks/stripe')
export class StripeWebhooksController {
  constructor(private readonly webhooks: StripeWebhooksService) {}

  @Public()
  @IdempotencyOutsideTransaction() // asks Stripe about the objects it is told of
  @Post()
  @HttpCode(200)
  receive(@Req() request: FastifyRequest, @Headers('stripe-signature') signature: string | undefined) {
    return this.webhooks.receive(rawBodyOf(request), signature);
  }
}
