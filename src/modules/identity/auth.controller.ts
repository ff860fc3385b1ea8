import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, Public } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateTenantRequestDto, LoginRequestDto, RefreshRequestDto } from '../../generated/request-dtos';
import { AuthenticationError } from '../../platform/errors/domain-errors';
import { AuthService } from './auth.service';
import { RefreshTransport, type SessionTokens } from './refresh-transport';
import { TenantsService } from './tenants.service';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tenants: TenantsService,
    private readonly transport: RefreshTransport,
  ) {}

  @Public()
  @Post('tenants')
  signUp(@Ctx() ctx: RequestContext, @Body() body: CreateTenantRequestDto) {
    return this.tenants.signUp(ctx, body);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(
    @Ctx() ctx: RequestContext,
    @Body() body: LoginRequestDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTokens> {
    const toCookie = this.transport.wantsCookie(request);
    const pair = await this.auth.login(ctx, body, request.ip);
    return this.transport.deliver(reply, pair, toCookie ? { csrfToken: null } : null);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  async refresh(
    @Ctx() ctx: RequestContext,
    @Body() body: RefreshRequestDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTokens> {
    const toCookie = this.transport.wantsCookie(request);
    const presented = this.transport.presented(request, body?.refresh_token);
    if (!presented) throw new AuthenticationError('No refresh token: send refresh_token in the body, or the refresh cookie with X-CSRF-Token');
    const pair = await this.auth.refresh(ctx, presented.token);
    const fromCookie = presented.csrfToken !== null;
    return this.transport.deliver(reply, pair, fromCookie || toCookie ? { csrfToken: presented.csrfToken } : null);
  }

  @Auth('users', 'read', { roles: ['owner', 'admin', 'staff', 'customer'], usersOnly: true })
  @Delete('auth/logout')
  @HttpCode(204)
  async logout(@Ctx() ctx: RequestContext, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const cookie = this.transport.cookieToken(request);
    await this.auth.logout(ctx, cookie?.token);
    if (cookie) this.transport.clear(reply);
  }

  @Auth('users', 'read', { roles: ['owner', 'admin', 'staff', 'customer'], selfService: true })
  @Get('auth/me')
  me(@Ctx() ctx: RequestContext) {
    return this.auth.me(ctx);
  }
}
