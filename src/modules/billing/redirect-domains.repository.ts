import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { RedirectDomainsEntity } from './entities/redirect-domains.entity';

/** The tenant's allowed redirect domains for ctx's mode: one row, absent = none. */
@Injectable()
export class RedirectDomainsRepository extends TenantScopedRepository {
  async find(ctx: RequestContext): Promise<string[]> {
    const row = await this.m(ctx).findOneBy(RedirectDomainsEntity, this.scope(ctx));
    return row?.domains ?? [];
  }

  async replace(ctx: RequestContext, domains: string[]): Promise<string[]> {
    await this.m(ctx).query(
      `INSERT INTO redirect_domains (tenant_id, mode, domains) VALUES ($1, $2, $3::text[])
       ON CONFLICT (tenant_id, mode) DO UPDATE SET domains = EXCLUDED.domains, updated_at = now()`,
      [ctx.tenant, ctx.mode, domains],
    );
    return domains;
  }
}
