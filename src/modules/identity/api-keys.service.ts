import { Injectable } from '@nestjs/common';
import type { Mode, RequestContext } from '../../platform/context/request-context';
import { NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { IdentityRepository } from './identity.repository';
import { toApiKey } from './identity.mappers';
import { newApiKeySecret, sha256 } from './secrets';

/** Resources a scope may name; `<resource>:read` or `<resource>:write`. */
export const SCOPE_RESOURCES = [
  'users', 'products', 'customers', 'inventory', 'orders', 'payments', 'transactions', 'invoices',
  'services', 'subscriptions', 'domains', 'tickets', 'shipping', 'analytics', 'events', 'webhooks',
] as const;

@Injectable()
export class ApiKeysService {
  constructor(private readonly repo: IdentityRepository) {}

  async create(ctx: RequestContext, body: Schemas['CreateApiKeyRequest']): Promise<Schemas['ApiKeyWithSecret']> {
    const unknown = (body.scopes ?? []).filter((s) => !SCOPE_RESOURCES.includes(s.split(':')[0] as never));
    if (unknown.length > 0) {
      throw new ValidationError(`Unknown scope(s): ${unknown.join(', ')}`, [
        { field: 'scopes', message: `resources are ${SCOPE_RESOURCES.join(', ')}` },
      ]);
    }
    const mode: Mode = body.mode ?? ctx.mode;
    const { secret, lookup } = newApiKeySecret(mode);
    const key = await this.repo.insertApiKey(ctx, {
      id: newId('key'),
      mode,
      name: body.name,
      lookup,
      secretHash: sha256(secret),
      access: body.access ?? 'read_write',
      scopes: body.scopes ?? null,
    });
    return { ...toApiKey(key), secret };
  }

  async list(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }, mode?: Mode): Promise<Page<Schemas['ApiKey']>> {
    return (await this.repo.listApiKeys(ctx, page, sort, mode)).map(toApiKey);
  }

  /** Revocation is read by the next request's key lookup: no cache to wait for. */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const key = await this.repo.findApiKey(ctx, parseIdOr404(id, 'key', 'API key'));
    if (!key) throw new NotFoundError('API key', id);
    await this.repo.revokeApiKey(ctx, key.id);
  }
}
