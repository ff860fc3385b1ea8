import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { dateParam, enumParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { CreateInvoiceDto, PayInvoiceDto, RefundInvoiceDto } from './dto/invoices.dto';
import { INVOICE_STATUS_FILTERS } from './invoice-status';
import { INVOICE_SORTS, type InvoiceFilters } from './invoices.repository';
import { InvoicesService } from './invoices.service';

const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

function stringParam(query: Record<string, unknown>, name: string, max = 254): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > max) throw new InvalidRequestError(`${name} must be a single value of at most ${max} characters`, name);
  return raw;
}

function parseFilters(query: Record<string, unknown>): InvoiceFilters {
  return {
    status: enumParam(query, 'status', INVOICE_STATUS_FILTERS),
    customerId: stringParam(query, 'customer_id', 64),
    accountRefId: stringParam(query, 'account_ref_id', 100),
    email: stringParam(query, 'email'),
    dateFrom: dateParam(query, 'date_from', ['from']),
    dateTo: dateParam(query, 'date_to', ['to']),
  };
}

@Controller('invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Auth('invoices', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, INVOICE_SORTS, { sort: 'created_at', order: 'desc' });
    const filters = parseFilters(query);
    return this.invoices.list(ctx, parsePageQuery(query), sort, filters);
  }

  @Auth('invoices', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateInvoiceDto) {
    return this.invoices.createFromRequest(ctx, body);
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
  pay(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: PayInvoiceDto) {
    return this.invoices.pay(ctx, id, body?.card);
  }

  @Auth('invoices', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/refund')
  @HttpCode(200)
  refund(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: RefundInvoiceDto) {
    return this.invoices.refund(ctx, id, body?.amount, body?.reason);
  }

  @Auth('invoices', 'write')
  @Post(':id/void')
  @HttpCode(200)
  void(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.invoices.void(ctx, id);
  }

  @Auth('invoices', 'write')
  @Post(':id/mark-uncollectible')
  @HttpCode(200)
  markUncollectible(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.invoices.markUncollectible(ctx, id);
  }

  @Auth('invoices', 'write')
  @Post(':id/send')
  @HttpCode(200)
  send(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.invoices.send(ctx, id);
  }
}
