import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ListDomainsQueryDto, RegisterDomainRequestDto, RenewDomainRequestDto, UpdateDomainRequestDto } from '../../generated/request-dtos';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { dateFilter } from '../../platform/http/date-filter';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { DomainsService } from './domains.service';

const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

@Controller('domains')
export class DomainsController {
  constructor(private readonly domains: DomainsService) {}

  @Auth('domains', 'read')
  @Get('check/:name')
  check(@Ctx() ctx: RequestContext, @Param('name') name: string) {
    return this.domains.check(ctx, name);
  }

  @Auth('domains', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListDomainsQueryDto) {
    return this.domains.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), {
      status: query.status,
      customerId: query.customer_id,
      tld: query.tld,
      dateFrom: dateFilter(query.date_from, query.from),
      dateTo: dateFilter(query.date_to, query.to),
    });
  }

  // Registrar calls are made outside the database transaction (DESIGN.md rule 13).
  @Auth('domains', 'write')
  @IdempotencyOutsideTransaction()
  @Post()
  register(@Ctx() ctx: RequestContext, @Body() body: RegisterDomainRequestDto) {
    return this.domains.register(ctx, body);
  }

  @Auth('domains', 'read', { roles: READERS })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.domains.get(ctx, id);
  }

  @Auth('domains', 'write')
  @IdempotencyOutsideTransaction()
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateDomainRequestDto) {
    return this.domains.update(ctx, id, body);
  }

  @Auth('domains', 'write')
  @IdempotencyOutsideTransaction()
  @Post(':id/renew')
  @HttpCode(200)
  renew(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: RenewDomainRequestDto) {
    return this.domains.renew(ctx, id, body.years);
  }

  @Auth('domains', 'write')
  @IdempotencyOutsideTransaction()
  @Post(':id/transfer-out')
  @HttpCode(200)
  transferOut(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.domains.transferOut(ctx, id);
  }
}
