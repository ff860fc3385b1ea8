import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Auth, Public } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateTenantRequestDto, LoginRequestDto, RefreshRequestDto } from '../../generated/request-dtos';
import { AuthService } from './auth.service';
import { TenantsService } from './tenants.service';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tenants: TenantsService,
  ) {}

  @Public()
  @Post('tenants')
  signUp(@Ctx() ctx: RequestContext, @Body() body: CreateTenantRequestDto) {
    return this.tenants.signUp(ctx, body);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  login(@Ctx() ctx: RequestContext, @Body() body: LoginRequestDto, @Req() request: FastifyRequest) {
    return this.auth.login(ctx, body, request.ip);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  refresh(@Ctx() ctx: RequestContext, @Body() body: RefreshRequestDto) {
    return this.auth.refresh(ctx, body.refresh_token);
  }

  @Auth('users', 'read', { roles: ['owner', 'admin', 'staff', 'customer'], usersOnly: true })
  @Delete('auth/logout')
  @HttpCode(204)
  async logout(@Ctx() ctx: RequestContext): Promise<void> {
    await this.auth.logout(ctx);
  }

  @Auth('users', 'read', { roles: ['owner', 'admin', 'staff', 'customer'], selfService: true })
  @Get('auth/me')
  me(@Ctx() ctx: RequestContext) {
    return this.auth.me(ctx);
  }
}
