import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateUserRequestDto, ListUsersQueryDto, UpdateUserRequestDto } from '../../generated/request-dtos';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { UsersService } from './users.service';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Auth('users', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListUsersQueryDto) {
    return this.users.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), query.role);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateUserRequestDto) {
    return this.users.create(ctx, body);
  }

  @Auth('users', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.users.get(ctx, id);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateUserRequestDto) {
    return this.users.update(ctx, id, body);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.users.remove(ctx, id);
  }
}
