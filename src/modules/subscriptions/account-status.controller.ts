import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { AccountStatusService, textParam } from './account-status.service';

function required(query: Record<string, unknown>, name: string): string {
  const value = textParam(query, name);
  if (value === undefined) throw new InvalidRequestError(`${name} is required`, name);
  return value;
}

/** Seed 003's SaaS routes: account status, fix-subscription link, public URL resolver. */
@Controller()
export class AccountStatusController {
  constructor(private readonly accounts: AccountStatusService) {}

  @Auth('services', 'read')
  @Get('accounts/:account_ref_id/status')
  status(@Ctx() ctx: RequestContext, @Param('account_ref_id') accountRefId: string, @Query() query: Record<string, unknown>) {
    return this.accounts.status(ctx, accountRefId, textParam(query, 'subscription'), textParam(query, 'tier'));
  }

  @Auth('services', 'read')
  @Get('subscriptions/fix')
  async fix(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const link = await this.accounts.fix(ctx, required(query, 'account_ref_id'), required(query, 'subscription_name'), required(query, 'tier_name'));
    if (!link) {
      reply.status(204);
      return undefined;
    }
    return link;
  }

  /** A GET that writes: every call mints a checkout link, so read-only credentials are refused (403). */
  @Auth('services', 'write')
  @Get('resolve/public-url')
  resolve(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    return this.accounts.resolve(ctx, {
      accountRefId: textParam(query, 'account_ref_id'),
      productName: textParam(query, 'product_name'),
      subscriptionName: textParam(query, 'subscription_name'),
      tierName: textParam(query, 'tier_name'),
      email: textParam(query, 'email'),
    });
  }
}
