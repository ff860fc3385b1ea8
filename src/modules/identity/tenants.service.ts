import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { AuthorizationError } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { ApiKeysService } from './api-keys.service';
import { IdentityRepository } from './identity.repository';
import { toTenant, toUser } from './identity.mappers';
import { hashPassword } from './password-hasher';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signUp(ctx: RequestContext, body: Schemas['CreateTenantRequest']): Promise<Schemas['SignUpResult']> {
    if (!this.config.SIGNUP_ENABLED) throw new AuthorizationError('Sign-up is disabled on this server');
    const passwordHash = await hashPassword(body.password);
    return this.tx.run(ctx, async (txCtx) => {
      const tenant = await this.repo.insertTenant(txCtx, { id: newId('ten'), name: body.name });
      const tenantCtx = txCtx.with({ tenantId: tenant.id, mode: 'live' });
      const owner = await this.users.insertWithHash(tenantCtx, { email: body.email, name: body.owner_name ?? null, role: 'owner' }, passwordHash);
      const pair = await this.tokens.issue(tenantCtx, owner, 'live');
      return { tenant: toTenant(tenant), user: toUser(owner), ...pair };
    });
  }

  /** The operator CLI: a tenant, its owner, and a live and a test API key. */
  async createWithKeys(ctx: RequestContext, body: Schemas['CreateTenantRequest']) {
    return this.tx.run(ctx, async (txCtx) => {
      const tenant = await this.repo.insertTenant(txCtx, { id: newId('ten'), name: body.name });
      const tenantCtx = txCtx.with({ tenantId: tenant.id, mode: 'live' });
      const owner = await this.users.insertWithHash(tenantCtx, { email: body.email, name: body.owner_name ?? null, role: 'owner' }, await hashPassword(body.password));
      const live = await this.apiKeys.create(tenantCtx, { name: 'Default live key', mode: 'live' });
      const test = await this.apiKeys.create(tenantCtx, { name: 'Default test key', mode: 'test' });
      return { tenant: toTenant(tenant), owner: toUser(owner), liveKey: live.secret, testKey: test.secret };
    });
  }
}
