import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { RequestContext } from '../../platform/context/request-context';
import { AuthorizationError, ConflictError, invalid, NotFoundError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { AuthService } from './auth.service';
import type { PlanEntity } from './entities/plan.entity';
import { IdentityRepository } from './identity.repository';
import { toPlan, toTenant } from './identity.mappers';

type PlanFields = Schemas['UpdatePlanRequest'];

/** Plans as data, and which plan a tenant is on: operators only (owners of OPERATOR_TENANT_ID). */
@Injectable()
export class PlansService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(ctx: RequestContext): Promise<Schemas['Plan'][]> {
    this.assertOperator(ctx);
    return (await this.repo.listPlans(ctx)).map(toPlan);
  }

  async create(ctx: RequestContext, body: Schemas['CreatePlanRequest']): Promise<Schemas['Plan']> {
    this.assertOperator(ctx);
    if (await this.repo.findPlanByName(ctx, body.name)) throw new ConflictError(`A plan named '${body.name}' exists`, 'name');
    const plan = await this.repo.savePlan(ctx, { id: newId('plan'), name: body.name, burstFactor: body.burst_factor ?? 2, ...columnsOf(body) });
    return toPlan(plan);
  }

  async update(ctx: RequestContext, id: string, body: PlanFields): Promise<Schemas['Plan']> {
    this.assertOperator(ctx);
    const plan = await this.repo.findPlan(ctx, parseIdOr404(id, 'plan', 'plan'));
    if (!plan) throw new NotFoundError('plan', id);
    const saved = await this.repo.savePlan(ctx, { ...plan, ...columnsOf(body), ...(body.burst_factor !== undefined ? { burstFactor: body.burst_factor } : {}) });
    this.auth.forgetLimits();
    return toPlan(saved);
  }

  async moveTenant(ctx: RequestContext, tenantId: string, body: Schemas['UpdateTenantRequest']): Promise<Schemas['Tenant']> {
    this.assertOperator(ctx);
    const tenant = await this.repo.findTenant(ctx, parseIdOr404(tenantId, 'ten', 'tenant'));
    if (!tenant) throw new NotFoundError('tenant', tenantId);
    if (!(await this.repo.findPlanByName(ctx, body.plan))) throw invalid('plan', `no plan is named '${body.plan}'`);
    await this.repo.updateTenantPlan(ctx, tenant.id, body.plan);
    this.auth.forgetLimits(tenant.id);
    return toTenant({ ...tenant, plan: body.plan });
  }

  private assertOperator(ctx: RequestContext): void {
    const operator = this.config.OPERATOR_TENANT_ID;
    const isOwner = ctx.actor.kind === 'user' && ctx.actor.role === 'owner';
    if (!operator || ctx.tenantId !== operator || !isOwner) {
      throw new AuthorizationError('Only owners of the operator tenant manage plans');
    }
  }
}

/** The limit columns named in `body` (null clears a window), leaving the others untouched. */
function columnsOf(body: PlanFields): Partial<PlanEntity> {
  const columns: Partial<PlanEntity> = {};
  if (body.reads_per_minute !== undefined) columns.readsPerMinute = body.reads_per_minute;
  if (body.reads_per_hour !== undefined) columns.readsPerHour = body.reads_per_hour;
  if (body.reads_per_day !== undefined) columns.readsPerDay = body.reads_per_day;
  if (body.writes_per_minute !== undefined) columns.writesPerMinute = body.writes_per_minute;
  if (body.writes_per_hour !== undefined) columns.writesPerHour = body.writes_per_hour;
  if (body.writes_per_day !== undefined) columns.writesPerDay = body.writes_per_day;
  return columns;
}
