import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreateOAuthClientRequestDto, ListOAuthAuthorizationsQueryDto, ListOAuthClientsQueryDto } from '../../generated/request-dtos';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { OAuthClientsService } from './oauth-clients.service';

/** Like API keys, OAuth clients and authorizations are managed by owners and admins logged in for live mode. */
@Controller('oauth')
export class OAuthClientsController {
  constructor(private readonly clients: OAuthClientsService) {}

  @Auth('oauth', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get('clients')
  list(@Ctx() ctx: RequestContext, @Query() query: ListOAuthClientsQueryDto) {
    return this.clients.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), query.mode);
  }

  @Auth('oauth', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Post('clients')
  create(@Ctx() ctx: RequestContext, @Body() body: CreateOAuthClientRequestDto) {
    return this.clients.create(ctx, body);
  }

  @Auth('oauth', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Delete('clients/:id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.clients.remove(ctx, id);
  }

  @Auth('oauth', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get('authorizations')
  listAuthorizations(@Ctx() ctx: RequestContext, @Query() query: ListOAuthAuthorizationsQueryDto) {
    return this.clients.listAuthorizations(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }));
  }

  @Auth('oauth', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Delete('authorizations/:id')
  @HttpCode(204)
  async revokeAuthorization(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.clients.revokeAuthorization(ctx, id);
  }
}
