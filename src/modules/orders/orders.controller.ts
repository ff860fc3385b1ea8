import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CancelOrderRequestDto, CreateOrderRequestDto, ListOrdersQueryDto, UpdateOrderStatusRequestDto } from '../../generated/request-dtos';
import { dateFilter } from '../../platform/http/date-filter';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import type { OrderFilters } from './orders.repository';
import { OrdersService } from './orders.service';

const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

function filtersOf(query: ListOrdersQueryDto): OrderFilters {
  return {
    status: query.status,
    customerId: query.customer_id,
    paymentStatus: query.payment_status,
    fulfillmentStatus: query.fulfillment_status,
    dateFrom: dateFilter(query.date_from, query.from),
    dateTo: dateFilter(query.date_to, query.to),
  };
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Auth('orders', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListOrdersQueryDto) {
    return this.orders.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), filtersOf(query));
  }

  @Auth('orders', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateOrderRequestDto) {
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
  updateStatus(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateOrderStatusRequestDto) {
    return this.orders.updateStatus(ctx, id, body);
  }

  @Auth('orders', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CancelOrderRequestDto) {
    return this.orders.cancel(ctx, id, body);
  }
}
