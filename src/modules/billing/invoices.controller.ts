import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateInvoiceRequestDto, ListInvoicesQueryDto, PayInvoiceRequestDto, RefundInvoiceRequestDto } from '../../generated/request-dtos';
import { dateFilter } from '../../platform/http/date-filter';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import type { InvoiceFilters } from './invoices.repository';
import { InvoiceSettlementService } from './invoice-settlement.service';
import { InvoicesService } from './invoices.service';

const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

function filtersOf(query: ListInvoicesQueryDto): InvoiceFilters {
  return {
    status: query.status,
    customerId: query.customer_id,
    accountRefId: query.account_ref_id,
    email: query.email,
    dateFrom: dateFilter(query.date_from, query.from),
    dateTo: dateFilter(query.date_to, query.to),
  };
}

@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly settlement: InvoiceSettlementService,
  ) {}

  @Auth('invoices', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListInvoicesQueryDto) {
    return this.invoices.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), filtersOf(query));
  }

  @Auth('invoices', 'write')
  @Post()
  async create(@Ctx() ctx: RequestContext, @Body() body: CreateInvoiceRequestDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const invoice = await this.invoices.createFromRequest(ctx, body);
    const warning = this.invoices.minimumChargeWarning(invoice);
    if (warning) reply.header('Warning', warning);
    return invoice;
  }

  @Auth('invoices', 'read', { roles: READERS })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.invoices.get(ctx, id);
  }

  @Auth('invoices', 'write')
  @Post(':id/finalize')
  @HttpCode(200)
  finalize(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.invoices.finalize(ctx, id);
  }

  @Auth('invoices', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/pay')
  @HttpCode(200)
  pay(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: PayInvoiceRequestDto) {
    return this.settlement.pay(ctx, id, body?.card, body?.payment_method_id);
  }

  @Auth('invoices', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/refund')
  @HttpCode(200)
  refund(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: RefundInvoiceRequestDto) {
    return this.settlement.refund(ctx, id, body?.amount, body?.reason);
  }

  @Auth('invoices', 'write')
  @Post(':id/void')
  @HttpCode(200)
  void(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.settlement.void(ctx, id);
  }

  @Auth('invoices', 'write')
  @Post(':id/mark-uncollectible')
  @HttpCode(200)
  markUncollectible(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.settlement.markUncollectible(ctx, id);
  }

  @Auth('invoices', 'write')
  @Post(':id/send')
  @HttpCode(200)
  send(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.invoices.send(ctx, id);
  }
}
