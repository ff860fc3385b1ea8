import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { invalid } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { RedirectDomainsRepository } from './redirect-domains.repository';
import { isAllowedReturnUrl } from './redirect-policy';

/**
 * The tenant's allowed redirect domains (`/settings/redirect-domains`) and the check of a
 * `return_url` against them: when the invoice is created (422), and again when the payer is
 * redirected, so removing a domain takes effect for invoices already issued.
 */
@Injectable()
export class RedirectDomainsService {
  constructor(private readonly repo: RedirectDomainsRepository) {}

  async get(ctx: RequestContext): Promise<Schemas['RedirectDomains']> {
    return { domains: await this.repo.find(ctx) };
  }

  async replace(ctx: RequestContext, body: Schemas['RedirectDomains']): Promise<Schemas['RedirectDomains']> {
    return { domains: await this.repo.replace(ctx, [...new Set(body.domains.map((d) => d.toLowerCase()))]) };
  }

  /** 422 naming `return_url` unless it is a local path or on an allowed host. */
  async assertAllowed(ctx: RequestContext, returnUrl: string): Promise<void> {
    if (isAllowedReturnUrl(returnUrl, await this.repo.find(ctx))) return;
    throw invalid('return_url', "must be a path on this server or an http(s) URL on one of the tenant's allowed redirect domains (PUT /settings/redirect-domains)");
  }

  /** The return URL if it is still allowed, else null (the payer stays on the receipt page). */
  async stillAllowed(ctx: RequestContext, returnUrl: string | null): Promise<string | null> {
    if (!returnUrl) return null;
    return isAllowedReturnUrl(returnUrl, await this.repo.find(ctx)) ? returnUrl : null;
  }
}
