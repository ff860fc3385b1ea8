import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { dateParam, enumParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { CreateServiceDto, UpdateServiceDto } from './dto/services.dto';
import { BILLING_CYCLES, SERVICE_STATUSES } from './service-status';
import { SERVICE_SORTS, type ServiceFilters } from './services.repository';
import { ServicesService } from './services.service';

const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > 64) throw new InvalidRequestError(`${name} must be a single value`, name);
  return raw;
}

function parseFilters(query: Record<string, unknown>): ServiceFilters {
  return {
    status: enumParam(query, 'status', SERVICE_STATUSES),
    customerId: stringParam(query, 'customer_id'),
    productId: stringParam(query, 'product_id'),
    tier: stringParam(query, 'tier'),
    billingCycle: enumParam(query, 'billing_cycle', BILLING_CYCLES),
    dateFrom: dateParam(query, 'date_from', ['from']),
    dateTo: dateParam(query, 'date_to', ['to']),
  };
}

@Controller('services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Auth('services', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, SERVICE_SORTS, { sort: 'created_at', order: 'desc' });
    const filters = parseFilters(query);
    return this.services.list(ctx, parsePageQuery(query), sort, filters);
  }

  @Auth('services', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateServiceDto) {
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
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateServiceDto) {
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
