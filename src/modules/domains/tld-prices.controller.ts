import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ListTldPricesQueryDto, PutTldPriceRequestDto } from '../../generated/request-dtos';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { pageQueryOf } from '../../platform/pagination/page-query';
import { TldPricesService } from './tld-prices.service';

/** The per-TLD price table of a tenant (`/settings/tld-prices`): staff read it, owners and admins change it. */
@Controller('settings/tld-prices')
export class TldPricesController {
  constructor(private readonly prices: TldPricesService) {}

  @Auth('domains', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListTldPricesQueryDto) {
    return this.prices.list(ctx, pageQueryOf(query));
  }

  @Auth('domains', 'write', { roles: ADMIN_ROLES })
  @Put(':tld')
  put(@Ctx() ctx: RequestContext, @Param('tld') tld: string, @Body() body: PutTldPriceRequestDto) {
    return this.prices.put(ctx, tld, body);
  }

  @Auth('domains', 'write', { roles: ADMIN_ROLES })
  @Delete(':tld')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('tld') tld: string): Promise<void> {
    await this.prices.remove(ctx, tld);
  }
}
