import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreatePersonalApiTokenRequestDto, ListPersonalApiTokensQueryDto } from '../../generated/request-dtos';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { PersonalTokensService } from './personal-tokens.service';

/** The client portal's "Profile → API tokens": a customer user's own tokens; no key or token mints another. */
@Controller('me/api-tokens')
export class PersonalTokensController {
  constructor(private readonly tokens: PersonalTokensService) {}

  @Auth('users', 'read', { roles: ['customer'], usersOnly: true })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListPersonalApiTokensQueryDto) {
    return this.tokens.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }));
  }

  @Auth('users', 'write', { roles: ['customer'], usersOnly: true })
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreatePersonalApiTokenRequestDto) {
    return this.tokens.create(ctx, body);
  }

  @Auth('users', 'write', { roles: ['customer'], usersOnly: true })
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(ctx, id);
  }
}
