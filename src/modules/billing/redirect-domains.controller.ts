import { Body, Controller, Get, Put } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { RedirectDomainsDto } from '../../generated/request-dtos';
import { RedirectDomainsService } from './redirect-domains.service';

/** Where the hosted pages may send a payer after payment (the tenant's own sites). */
@Controller('settings/redirect-domains')
export class RedirectDomainsController {
  constructor(private readonly domains: RedirectDomainsService) {}

  @Auth('invoices', 'read')
  @Get()
  get(@Ctx() ctx: RequestContext) {
    return this.domains.get(ctx);
  }

  @Auth('invoices', 'write', { roles: ADMIN_ROLES })
  @Put()
  replace(@Ctx() ctx: RequestContext, @Body() body: RedirectDomainsDto) {
    return this.domains.replace(ctx, body);
  }
}
