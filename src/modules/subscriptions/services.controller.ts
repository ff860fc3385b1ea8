import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateServiceRequestDto, ListServicesQueryDto, UpdateServiceRequestDto } from '../../generated/request-dtos';
import { dateFilter } from '../../platform/http/date-filter';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import type { ServiceFilters } from './services.repository';
import { ServicesService } from './services.service';

const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

function filtersOf(query: ListServicesQueryDto): ServiceFilters {
  return {
    status: query.status,
    customerId: query.customer_id,
    productId: query.product_id,
    tier: query.tier,
    billingCycle: query.billing_cycle,
    dateFrom: dateFilter(query.date_from, query.from),
    dateTo: dateFilter(query.date_to, query.to),
  };
}

@Controller('services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Auth('services', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListServicesQueryDto) {
    return this.services.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), filtersOf(query));
  }

  @Auth('services', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateServiceRequestDto) {
    return this.services.create(ctx, body);
  }

  @Auth('services', 'read', { roles: READERS })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.services.get(ctx, id);
  }

  @Auth('services', 'write')
  @IdempotencyOutsideTransaction() // calls the card processor
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateServiceRequestDto) {
    return this.services.update(ctx, id, body);
  }

  @Auth('services', 'write')
  @Post(':id/suspend')
  @HttpCode(200)
  suspend(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.services.act(ctx, id, 'suspend');
  }

  @Auth('services', 'write')
  @Post(':id/unsuspend')
  @HttpCode(200)
  unsuspend(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.services.act(ctx, id, 'unsuspend');
  }

  @Auth('services', 'write')
  @Post(':id/terminate')
  @HttpCode(200)
  terminate(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.services.act(ctx, id, 'terminate');
  }
}
