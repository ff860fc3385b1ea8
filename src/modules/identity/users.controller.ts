import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { enumParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { CreateUserDto, UpdateUserDto } from './dto/identity.dto';
import { UsersService } from './users.service';

const ROLES = ['owner', 'admin', 'staff', 'customer'] as const;

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Auth('users', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, ['created_at'], { sort: 'created_at', order: 'desc' });
    return this.users.list(ctx, parsePageQuery(query), sort, enumParam(query, 'role', ROLES));
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateUserDto) {
    return this.users.create(ctx, body);
  }

  @Auth('users', 'read', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.users.get(ctx, id);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateUserDto) {
    return this.users.update(ctx, id, body);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.users.remove(ctx, id);
  }
}
