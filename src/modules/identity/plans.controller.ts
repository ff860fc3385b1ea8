import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreatePlanRequestDto, UpdatePlanRequestDto, UpdateTenantRequestDto } from '../../generated/request-dtos';
import { PlansService } from './plans.service';

/** Operators' routes: owners of the operator tenant with a live-mode user token (the service checks the tenant). */
@Controller()
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Auth('users', 'read', { roles: ['owner'], liveUsersOnly: true })
  @Get('plans')
  list(@Ctx() ctx: RequestContext) {
    return this.plans.list(ctx);
  }

  @Auth('users', 'write', { roles: ['owner'], liveUsersOnly: true })
  @Post('plans')
  create(@Ctx() ctx: RequestContext, @Body() body: CreatePlanRequestDto) {
    return this.plans.create(ctx, body);
  }

  @Auth('users', 'write', { roles: ['owner'], liveUsersOnly: true })
  @Patch('plans/:id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdatePlanRequestDto) {
    return this.plans.update(ctx, id, body);
  }

  @Auth('users', 'write', { roles: ['owner'], liveUsersOnly: true })
  @Patch('tenants/:id')
  moveTenant(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateTenantRequestDto) {
    return this.plans.moveTenant(ctx, id, body);
  }
}
