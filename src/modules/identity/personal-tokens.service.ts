import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { AuthorizationError, NotFoundError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { IdentityRepository } from './identity.repository';
import { toPersonalToken } from './identity.mappers';
import { newApiKeySecret, sha256 } from './secrets';

/**
 * Client-portal tokens: a `customer` user's own `ck_live_…`/`ck_test_…` tokens, bound to its customer
 * record. They are API-key rows (same lookup, hash, shown-once secret and instant revocation) that
 * carry the user and customer; authentication turns them into a `customer_token` actor, which every
 * module confines to that customer through `ctx.customerScope`.
 */
@Injectable()
export class PersonalTokensService {
  constructor(private readonly repo: IdentityRepository) {}

  /** The token's mode is the mode the customer logged in for: its customer record lives there. */
  async create(ctx: RequestContext, body: Schemas['CreatePersonalApiTokenRequest']): Promise<Schemas['PersonalApiTokenWithSecret']> {
    const { userId, customerId } = customerLogin(ctx);
    const { secret, lookup } = newApiKeySecret(ctx.mode);
    const key = await this.repo.insertApiKey(ctx, {
      id: newId('key'),
      mode: ctx.mode,
      name: body.name,
      lookup,
      secretHash: sha256(secret),
      access: body.access ?? 'read_write',
      scopes: null,
      userId,
      customerId,
    });
    return { ...toPersonalToken(key), secret };
  }

  async list(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }): Promise<Page<Schemas['PersonalApiToken']>> {
    return (await this.repo.listPersonalTokens(ctx, customerLogin(ctx).userId, page, sort)).map(toPersonalToken);
  }

  /** Another user's token (or an API key) answers 404; revocation is read by the token's next request. */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const token = await this.repo.findPersonalToken(ctx, customerLogin(ctx).userId, parseIdOr404(id, 'key', 'API token'));
    if (!token) throw new NotFoundError('API token', id);
    await this.repo.revokeApiKey(ctx, token.id);
  }
}

function customerLogin(ctx: RequestContext): { userId: string; customerId: string } {
  const { actor } = ctx;
  if (actor.kind !== 'user' || actor.role !== 'customer' || !actor.customerId) {
    throw new AuthorizationError('Only a customer user manages personal API tokens');
  }
  return { userId: actor.userId, customerId: actor.customerId };
}
