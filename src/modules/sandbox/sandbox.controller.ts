import { Controller, HttpCode, Post } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { SandboxService } from './sandbox.service';

@Controller('sandbox')
export class SandboxController {
  constructor(private readonly sandbox: SandboxService) {}

  @Auth('users', 'write', { roles: ADMIN_ROLES })
  @Post('reset')
  @HttpCode(200)
  reset(@Ctx() ctx: RequestContext) {
    return this.sandbox.reset(ctx);
  }
}
