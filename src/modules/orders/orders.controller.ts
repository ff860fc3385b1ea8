import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { dateParam, enumParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { CancelOrderDto, CreateOrderDto, UpdateOrderStatusDto } from './dto/orders.dto';
import { FULFILLMENT_STATUSES, ORDER_STATUSES, PAYMENT_STATUSES } from './order-status';
import { ORDER_SORTS, type OrderFilters } from './orders.repository';
import { OrdersService } from './orders.service';

const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

function idParam(query: Record<string, unknown>, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > 64) throw new InvalidRequestError(`${name} must be a single id`, name);
  return raw;
}

function parseFilters(query: Record<string, unknown>): OrderFilters {
  return {
    status: enumParam(query, 'status', ORDER_STATUSES),
    customerId: idParam(query, 'customer_id'),
    paymentStatus: enumParam(query, 'payment_status', PAYMENT_STATUSES),
    fulfillmentStatus: enumParam(query, 'fulfillment_status', FULFILLMENT_STATUSES),
    dateFrom: dateParam(query, 'date_from', ['from']),
    dateTo: dateParam(query, 'date_to', ['to']),
  };
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Auth('orders', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, ORDER_SORTS, { sort: 'created_at', order: 'desc' });
    const filters = parseFilters(query);
    return this.orders.list(ctx, parsePageQuery(query), sort, filters);
  }

  @Auth('orders', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateOrderDto) {
    return this.orders.create(ctx, body);
  }

  @Auth('orders', 'read', { roles: READERS })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.orders.get(ctx, id);
  }

  @Auth('orders', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Patch(':id/status')
  updateStatus(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateOrderStatusDto) {
    return this.orders.updateStatus(ctx, id, body);
  }

  @Auth('orders', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CancelOrderDto) {
    return this.orders.cancel(ctx, id, body);
  }
}
