import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { Mode, RequestContext, WindowLimitName } from '../../platform/context/request-context';
import { ConflictError, invalid, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { canonicalAllowedIp, parseAllowedIp } from './allowed-ips';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { IdentityRepository } from './identity.repository';
import { toApiKey } from './identity.mappers';
import { newApiKeySecret, sha256 } from './secrets';
import { TenantVerificationService } from './tenant-verification.service';

/** Resources a scope may name; `<resource>:read` or `<resource>:write`. */
export const SCOPE_RESOURCES = [
  'users', 'products', 'customers', 'inventory', 'orders', 'payments', 'transactions', 'invoices',
  'services', 'subscriptions', 'domains', 'tickets', 'shipping', 'analytics', 'events', 'webhooks',
] as const;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly verification: TenantVerificationService,
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(ctx: RequestContext, body: Schemas['CreateApiKeyRequest']): Promise<Schemas['ApiKeyWithSecret']> {
    const unknown = (body.scopes ?? []).filter((s) => !SCOPE_RESOURCES.includes(s.split(':')[0] as never));
    if (unknown.length > 0) {
      throw new ValidationError(`Unknown scope(s): ${unknown.join(', ')}`, [
        { field: 'scopes', message: `resources are ${SCOPE_RESOURCES.join(', ')}` },
      ]);
    }
    const mode: Mode = body.mode ?? ctx.mode;
    if (mode === 'live') await this.verification.assertLiveAllowed(ctx.with({ mode: 'live' }), 'A live API key');
    const allowedIps = body.allowed_ips ? canonicalIps(body.allowed_ips) : null;
    const rateLimits = body.rate_limits && Object.keys(body.rate_limits).length > 0 ? await this.checkedOverrides(ctx, body.rate_limits) : null;
    const { secret, lookup } = newApiKeySecret(mode);
    const key = await this.tx.run(ctx, async (txCtx) => {
      // More keys must not mean more capacity (the tenant-wide limit holds that), nor unbounded rows.
      await this.repo.lockApiKeyCreation(txCtx);
      const max = this.config.API_KEYS_PER_TENANT_MAX;
      if ((await this.repo.countActiveApiKeys(txCtx)) >= max) {
        throw new ConflictError(`A tenant may hold at most ${max} active API keys; revoke one first`);
      }
      return this.repo.insertApiKey(txCtx, {
        id: newId('key'),
        mode,
        name: body.name,
        lookup,
        secretHash: sha256(secret),
        access: body.access ?? 'read_write',
        scopes: body.scopes ?? null,
        allowedIps,
        rateLimits,
      });
    });
    return { ...toApiKey(key), secret };
  }

  /** A key's own limits may only be lower than its tenant's plan allows (never a way around the plan). */
  private async checkedOverrides(ctx: RequestContext, overrides: Schemas['ApiKeyRateLimits']): Promise<Partial<Record<WindowLimitName, number>>> {
    const tenant = await this.repo.findTenant(ctx, ctx.tenant);
    const plan = tenant ? await this.repo.findPlanByName(ctx, tenant.plan) : null;
    const ceiling: Record<WindowLimitName, number | null> = {
      reads_per_minute: tenant?.rateLimitReads ?? plan?.readsPerMinute ?? this.config.RATE_LIMIT_READS_PER_MINUTE,
      writes_per_minute: tenant?.rateLimitWrites ?? plan?.writesPerMinute ?? this.config.RATE_LIMIT_WRITES_PER_MINUTE,
      reads_per_hour: plan?.readsPerHour ?? null,
      reads_per_day: plan?.readsPerDay ?? null,
      writes_per_hour: plan?.writesPerHour ?? null,
      writes_per_day: plan?.writesPerDay ?? null,
    };
    const result: Partial<Record<WindowLimitName, number>> = {};
    for (const [name, value] of Object.entries(overrides) as [WindowLimitName, number][]) {
      const max = ceiling[name];
      if (max !== null && value > max) throw invalid(`rate_limits.${name}`, `must be at most the plan's ${max}`);
      result[name] = value;
    }
    return result;
  }

  async list(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }, mode?: Mode): Promise<Page<Schemas['ApiKey']>> {
    return (await this.repo.listApiKeys(ctx, page, sort, mode)).map(toApiKey);
  }

  /** Revocation holds on the key's next request on every replica: each syncs its key cache with the database's change feed first (CredentialCache). */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const key = await this.repo.findApiKey(ctx, parseIdOr404(id, 'key', 'API key'));
    if (!key) throw new NotFoundError('API key', id);
    await this.repo.revokeApiKey(ctx, key.id);
  }
}

/** Each entry parsed and stored canonically; one that is not an address or CIDR block → 422 naming it. */
function canonicalIps(entries: readonly string[]): string[] {
  return [...new Set(entries.map((entry, i) => {
    const range = parseAllowedIp(entry.trim());
    if (!range) throw invalid(`allowed_ips[${i}]`, 'must be an IPv4 or IPv6 address or CIDR block');
    return canonicalAllowedIp(range);
  }))];
}
