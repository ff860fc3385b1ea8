import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateApiKeyRequestDto, ListApiKeysQueryDto } from '../../generated/request-dtos';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { ApiKeysService } from './api-keys.service';

/** Keys are managed by people logged in for live mode: no API key and no sandbox token mints or revokes keys. */
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Auth('users', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListApiKeysQueryDto) {
    return this.apiKeys.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), query.mode);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateApiKeyRequestDto) {
    return this.apiKeys.create(ctx, body);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(ctx, id);
  }
}
