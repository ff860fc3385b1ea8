import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { AuthorizationError } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import { PortBindings } from '../../platform/ports/port-bindings';
import type { Schemas } from '../../platform/openapi/schemas';
import { ApiKeysService } from './api-keys.service';
import { SANDBOX_SEEDER, type SandboxSeeder } from './sandbox-seeder.port';
import { IdentityRepository } from './identity.repository';
import { toTenant, toUser } from './identity.mappers';
import { hashPassword } from './password-hasher';
import { TenantVerificationService } from './tenant-verification.service';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

/**
 * Sign-up. A tenant's sandbox is its `test` mode: the same tenant id, separate rows, so there is
 * nothing extra to create for it beyond the keys and tokens that select it.
 */
@Injectable()
export class TenantsService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly tx: TransactionService,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
    private readonly verification: TenantVerificationService,
    private readonly bindings: PortBindings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signUp(ctx: RequestContext, body: Schemas['CreateTenantRequest']): Promise<Schemas['SignUpResult']> {
    if (!this.config.SIGNUP_ENABLED) throw new AuthorizationError('Sign-up is disabled on this server');
    const passwordHash = await hashPassword(body.password);
    const result = await this.tx.run(ctx, async (txCtx) => {
      const verify = this.verification.required;
      const tenant = await this.repo.insertTenant(txCtx, { id: newId('ten'), name: body.name, emailVerifiedAt: verify ? null : new Date() });
      const tenantCtx = txCtx.with({ tenantId: tenant.id, mode: 'live' });
      const owner = await this.users.insertWithHash(tenantCtx, { email: body.email, name: body.owner_name ?? null, role: 'owner' }, passwordHash);
      if (verify) await this.verification.sendLink(tenantCtx, owner.email, tenant.name);
      const pair = await this.tokens.issue(tenantCtx, owner, 'live');
      return { tenant: toTenant(tenant), user: toUser(owner), ...pair };
    });
    // After the sign-up commits: the sample data is a convenience, its own transaction, never a reason to refuse a sign-up.
    if (this.config.SANDBOX_SAMPLE_DATA) await this.seedSandbox(ctx.with({ tenantId: result.tenant.id, mode: 'test' }));
    return result;
  }

  private async seedSandbox(sandboxCtx: RequestContext): Promise<void> {
    const seeder = this.bindings.one<SandboxSeeder>(SANDBOX_SEEDER);
    if (!seeder) return;
    try {
      await this.tx.run(sandboxCtx, (txCtx) => seeder.seedSandbox(txCtx));
    } catch (err) {
      // The tenant exists; an empty sandbox is restored by POST /sandbox/reset.
      new Logger(TenantsService.name).warn(`sandbox sample data for ${sandboxCtx.tenant} failed: ${(err as Error).message}`);
    }
  }

  /** The operator CLI: a verified tenant, its owner, and a live and a test API key. */
  async createWithKeys(ctx: RequestContext, body: Schemas['CreateTenantRequest']) {
    return this.tx.run(ctx, async (txCtx) => {
      // The operator vouches for the owner: verified at once.
      const tenant = await this.repo.insertTenant(txCtx, { id: newId('ten'), name: body.name, emailVerifiedAt: new Date() });
      const tenantCtx = txCtx.with({ tenantId: tenant.id, mode: 'live' });
      const owner = await this.users.insertWithHash(tenantCtx, { email: body.email, name: body.owner_name ?? null, role: 'owner' }, await hashPassword(body.password));
      const live = await this.apiKeys.create(tenantCtx, { name: 'Default live key', mode: 'live' });
      const test = await this.apiKeys.create(tenantCtx, { name: 'Default test key', mode: 'test' });
      return { tenant: toTenant(tenant), owner: toUser(owner), liveKey: live.secret, testKey: test.secret };
    });
  }
}
