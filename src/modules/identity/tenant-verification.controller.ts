import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ADMIN_ROLES, Auth, Public } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { VerifyTenantEmailQueryDto } from '../../generated/request-dtos';
import { TenantVerificationService } from './tenant-verification.service';

/** The sign-up verification link, and asking for a new one. */
@Controller('tenants')
export class TenantVerificationController {
  constructor(private readonly verification: TenantVerificationService) {}

  @Public()
  @Get('verify-email')
  verify(@Ctx() ctx: RequestContext, @Query() query: VerifyTenantEmailQueryDto) {
    return this.verification.verify(ctx, query.token);
  }

  @Auth('users', 'write', { roles: ADMIN_ROLES, liveUsersOnly: true })
  @Post('verification-email')
  @HttpCode(200)
  resend(@Ctx() ctx: RequestContext) {
    return this.verification.resend(ctx);
  }
}
