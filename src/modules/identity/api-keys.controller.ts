import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { enumParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto } from './dto/identity.dto';

/** Keys are managed by people logged in for live mode: no API key and no sandbox token mints or revokes keys. */
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Auth('users', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, ['created_at'], { sort: 'created_at', order: 'desc' });
    return this.apiKeys.list(ctx, parsePageQuery(query), sort, enumParam(query, 'mode', ['live', 'test'] as const));
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateApiKeyDto) {
    return this.apiKeys.create(ctx, body);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(ctx, id);
  }
}
