import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FixSubscriptionQueryDto, GetAccountStatusQueryDto, ResolvePublicUrlQueryDto } from '../../generated/request-dtos';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { AccountStatusService } from './account-status.service';

/** Seed 003's SaaS routes: account status, fix-subscription link, public URL resolver. */
@Controller()
export class AccountStatusController {
  constructor(private readonly accounts: AccountStatusService) {}

  @Auth('services', 'read')
  @Get('accounts/:account_ref_id/status')
  status(@Ctx() ctx: RequestContext, @Param('account_ref_id') accountRefId: string, @Query() query: GetAccountStatusQueryDto) {
    return this.accounts.status(ctx, accountRefId, query.subscription, query.tier);
  }

  @Auth('services', 'read')
  @Get('subscriptions/fix')
  async fix(@Ctx() ctx: RequestContext, @Query() query: FixSubscriptionQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const link = await this.accounts.fix(ctx, query.account_ref_id, query.subscription_name, query.tier_name);
    if (!link) {
      reply.status(204);
      return undefined;
    }
    return link;
  }

  /** A GET that writes: every call mints a checkout link, so read-only credentials are refused (403). */
  @Auth('services', 'write')
  @Get('resolve/public-url')
  resolve(@Ctx() ctx: RequestContext, @Query() query: ResolvePublicUrlQueryDto) {
    return this.accounts.resolve(ctx, {
      accountRefId: query.account_ref_id,
      productName: query.product_name,
      subscriptionName: query.subscription_name,
      tierName: query.tier_name,
      email: query.email,
    });
  }
}
