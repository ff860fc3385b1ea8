import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import {
  CapturePaymentRequestDto, CloseDisputeRequestDto, ConfirmPaymentRequestDto, CreatePaymentIntentRequestDto, ListAccountTransactionsQueryDto,
  ListDisputesQueryDto, ListPaymentsQueryDto, ListTransactionsQueryDto, RefundPaymentRequestDto, RespondDisputeRequestDto,
} from '../../generated/request-dtos';
import { dateFilter } from '../../platform/http/date-filter';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import type { PaymentFilters } from './payments.repository';
import { PaymentDisputesService } from './payment-disputes.service';
import { PaymentIntentsService } from './payment-intents.service';
import { PaymentLedgerService } from './payment-ledger.service';
import { PaymentRefundsService } from './payment-refunds.service';

function paymentFilters(query: ListPaymentsQueryDto): PaymentFilters {
  return {
    status: query.status,
    customerId: query.customer_id,
    orderId: query.order_id,
    invoiceId: query.invoice_id,
    dateFrom: dateFilter(query.date_from, query.from),
    dateTo: dateFilter(query.date_to, query.to),
  };
}

/** Registered before PaymentsController so `/payments/disputes` is never read as a payment id. */
@Controller('payments/disputes')
export class DisputesController {
  constructor(private readonly disputes: PaymentDisputesService) {}

  @Auth('payments', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListDisputesQueryDto) {
    return this.disputes.listDisputes(ctx, pageQueryOf(query), query.order ?? 'desc', { status: query.status, paymentId: query.payment_id });
  }

  @Auth('payments', 'write')
  @Post(':id/respond')
  @HttpCode(200)
  respond(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: RespondDisputeRequestDto) {
    return this.disputes.respondToDispute(ctx, id, body.evidence);
  }

  @Auth('payments', 'write')
  @Post(':id/close')
  @HttpCode(200)
  close(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CloseDisputeRequestDto) {
    return this.disputes.closeDispute(ctx, id, body.outcome);
  }
}

@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly intents: PaymentIntentsService,
    private readonly refunds: PaymentRefundsService,
  ) {}

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post('intents')
  create(@Ctx() ctx: RequestContext, @Body() body: CreatePaymentIntentRequestDto) {
    return this.intents.create(ctx, body);
  }

  @Auth('payments', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListPaymentsQueryDto) {
    return this.intents.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), paymentFilters(query));
  }

  @Auth('payments', 'read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.intents.get(ctx, id);
  }

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/confirm')
  @HttpCode(200)
  confirm(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: ConfirmPaymentRequestDto) {
    return this.intents.confirm(ctx, id, body?.card, body?.payment_method_id);
  }

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/capture')
  @HttpCode(200)
  capture(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CapturePaymentRequestDto) {
    return this.intents.capture(ctx, id, body?.amount);
  }

  @Auth('payments', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/refund')
  @HttpCode(200)
  refund(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: RefundPaymentRequestDto) {
    return this.refunds.refund(ctx, id, body?.amount, body?.reason, body?.refund_application_fee ?? false);
  }
}

@Controller('transactions')
export class TransactionsController {
  constructor(private readonly ledger: PaymentLedgerService) {}

  @Auth('transactions', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListTransactionsQueryDto) {
    return this.ledger.listTransactions(ctx, pageQueryOf(query), query.order ?? 'desc', {
      accountRefId: query.account_ref_id,
      status: query.status,
      type: query.type,
      customerEmail: query.customer_email,
      paymentId: query.payment_id,
    });
  }

  @Auth('transactions', 'read')
  @Get(':account_ref_id')
  listForAccount(@Ctx() ctx: RequestContext, @Param('account_ref_id') accountRefId: string, @Query() query: ListAccountTransactionsQueryDto) {
    return this.ledger.listTransactions(ctx, pageQueryOf(query), query.order ?? 'desc', { accountRefId, status: query.status });
  }
}
