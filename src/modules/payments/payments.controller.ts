import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { dateParam, enumParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort, type SortOrder } from '../../platform/pagination/page-query';
import {
  CapturePaymentDto, CloseDisputeDto, ConfirmPaymentDto, CreatePaymentIntentDto, RefundPaymentDto, RespondDisputeDto,
} from './dto/payments.dto';
import { PAYMENT_SORTS, type PaymentFilters } from './payments.repository';
import { PaymentsService } from './payments.service';

const INTENT_STATUSES = ['requires_payment_method', 'requires_action', 'processing', 'requires_capture', 'succeeded', 'failed', 'canceled'] as const;
const DISPUTE_STATUSES = ['needs_response', 'under_review', 'won', 'lost'] as const;
const TRANSACTION_STATUSES = ['pending', 'completed', 'failed', 'cancelled'] as const;
const TRANSACTION_TYPES = ['charge', 'refund', 'dispute', 'dispute_reversal'] as const;

/** An optional free-text filter; a repeated or over-long parameter → 400 naming it. */
export function textParam(query: Record<string, unknown>, name: string, maxLength = 320): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > maxLength) {
    throw new InvalidRequestError(`${name} must be a single value of at most ${maxLength} characters`, name);
  }
  return raw;
}

function orderParam(query: Record<string, unknown>): SortOrder {
  return enumParam(query, 'order', ['asc', 'desc'] as const) ?? 'desc';
}

function paymentFilters(query: Record<string, unknown>): PaymentFilters {
  return {
    status: enumParam(query, 'status', INTENT_STATUSES),
    customerId: textParam(query, 'customer_id', 64),
    orderId: textParam(query, 'order_id', 64),
    invoiceId: textParam(query, 'invoice_id', 64),
    dateFrom: dateParam(query, 'date_from', ['from']),
    dateTo: dateParam(query, 'date_to', ['to']),
  };
}

/** Registered before PaymentsController so `/payments/disputes` is never read as a payment id. */
@Controller('payments/disputes')
export class DisputesController {
  constructor(private readonly payments: PaymentsService) {}

  @Auth('payments', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.payments.listDisputes(ctx, parsePageQuery(query), orderParam(query), {
      status: enumParam(query, 'status', DISPUTE_STATUSES),
      paymentId: textParam(query, 'payment_id', 64),
    });
  }

  @Auth('payments', 'write')
  @Post(':id/respond')
  @HttpCode(200)
  respond(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: RespondDisputeDto) {
    return this.payments.respondToDispute(ctx, id, body.evidence);
  }

  @Auth('payments', 'write')
  @Post(':id/close')
  @HttpCode(200)
  close(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CloseDisputeDto) {
    return this.payments.closeDispute(ctx, id, body.outcome);
  }
}

@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post('intents')
  create(@Ctx() ctx: RequestContext, @Body() body: CreatePaymentIntentDto) {
    return this.payments.create(ctx, body);
  }

  @Auth('payments', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, PAYMENT_SORTS, { sort: 'created_at', order: 'desc' });
    return this.payments.list(ctx, parsePageQuery(query), sort, paymentFilters(query));
  }

  @Auth('payments', 'read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.payments.get(ctx, id);
  }

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/confirm')
  @HttpCode(200)
  confirm(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: ConfirmPaymentDto) {
    return this.payments.confirm(ctx, id, body?.card);
  }

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/capture')
  @HttpCode(200)
  capture(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CapturePaymentDto) {
    return this.payments.capture(ctx, id, body?.amount);
  }

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/refund')
  @HttpCode(200)
  refund(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: RefundPaymentDto) {
    return this.payments.refund(ctx, id, body?.amount, body?.reason);
  }
}

@Controller('transactions')
export class TransactionsController {
  constructor(private readonly payments: PaymentsService) {}

  @Auth('transactions', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.payments.listTransactions(ctx, parsePageQuery(query), orderParam(query), {
      accountRefId: textParam(query, 'account_ref_id', 128),
      status: enumParam(query, 'status', TRANSACTION_STATUSES),
      type: enumParam(query, 'type', TRANSACTION_TYPES),
      customerEmail: textParam(query, 'customer_email'),
      paymentId: textParam(query, 'payment_id', 64),
    });
  }

  @Auth('transactions', 'read')
  @Get(':account_ref_id')
  listForAccount(@Ctx() ctx: RequestContext, @Param('account_ref_id') accountRefId: string, @Query() query: Record<string, unknown>) {
    return this.payments.listTransactions(ctx, parsePageQuery(query), orderParam(query), {
      accountRefId,
      status: enumParam(query, 'status', TRANSACTION_STATUSES),
    });
  }
}
