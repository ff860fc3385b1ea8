import type { PlanEntity } from './entities/plan.entity';
import type { Schemas } from '../../platform/openapi/schemas';
import type { ApiKeyEntity } from './entities/api-key.entity';
import type { TenantEntity } from './entities/tenant.entity';
import type { UserEntity } from './entities/user.entity';

export function toTenant(t: TenantEntity): Schemas['Tenant'] {
  return { id: t.id, name: t.name, plan: t.plan, created_at: t.createdAt.toISOString() };
}

export function toUser(u: UserEntity): Schemas['User'] {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    customer_id: u.customerId,
    created_at: u.createdAt.toISOString(),
    updated_at: u.updatedAt.toISOString(),
  };
}

export function toPersonalToken(k: ApiKeyEntity): Schemas['PersonalApiToken'] {
  return {
    id: k.id,
    name: k.name,
    mode: k.mode,
    access: k.access,
    customer_id: k.customerId ?? '',
    prefix: `ck_${k.mode}_${k.lookup}`,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    created_at: k.createdAt.toISOString(),
  };
}

export function toApiKey(k: ApiKeyEntity): Schemas['ApiKey'] {
  return {
    id: k.id,
    name: k.name,
    mode: k.mode,
    access: k.access,
    scopes: k.scopes,
    allowed_ips: k.allowedIps,
    rate_limits: k.rateLimits,
    prefix: `ck_${k.mode}_${k.lookup}`,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    created_at: k.createdAt.toISOString(),
  };
}

export function toPlan(p: PlanEntity): Schemas['Plan'] {
  return {
    id: p.id,
    name: p.name,
    reads_per_minute: p.readsPerMinute,
    reads_per_hour: p.readsPerHour,
    reads_per_day: p.readsPerDay,
    writes_per_minute: p.writesPerMinute,
    writes_per_hour: p.writesPerHour,
    writes_per_day: p.writesPerDay,
    burst_factor: p.burstFactor,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}
