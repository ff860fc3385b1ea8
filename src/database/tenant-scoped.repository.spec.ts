import type { EntityManager } from 'typeorm';
import { RequestContext } from '../platform/context/request-context';
import { NotFoundError } from '../platform/errors/domain-errors';
import { TenantScopedRepository, type TenantRow } from './tenant-scoped.repository';
import type { TransactionService } from './transaction.service';

class WidgetEntity implements TenantRow {
  id!: string;
  tenantId!: string;
  mode!: 'live' | 'test';
  color!: string;
}

class WidgetsRepository extends TenantScopedRepository {
  lockPainting(ctx: RequestContext, color: string, acrossModes = false): Promise<void> {
    return this.lockUntilCommit(ctx, 'painting', [color], { acrossModes });
  }

  getWidget(ctx: RequestContext, id: string, color?: string): Promise<WidgetEntity> {
    return this.getOrThrow(ctx, WidgetEntity, 'widget', id, color === undefined ? {} : { color });
  }
}

/** A manager over rows in memory that answers findOneBy by exact match on every named column. */
function repositoryOver(rows: WidgetEntity[]) {
  const asked: { ctx: RequestContext; where: Record<string, unknown> }[] = [];
  const tx = {
    managerFor: (ctx: RequestContext) => ({
      findOneBy: async (_entity: unknown, where: Record<string, unknown>) => {
        asked.push({ ctx, where });
        return rows.find((row) => Object.entries(where).every(([k, v]) => row[k as keyof WidgetEntity] === v)) ?? null;
      },
      query: async (sql: string, parameters: unknown[]) => {
        asked.push({ ctx, where: { sql, parameters } });
        return [];
      },
    }) as unknown as EntityManager,
  } as unknown as TransactionService;
  return { repo: new WidgetsRepository(tx), asked };
}

const row = (fields: Partial<WidgetEntity>): WidgetEntity => Object.assign(new WidgetEntity(), { id: 'wid_1', tenantId: 'ten_a', mode: 'test', color: 'red', ...fields });

describe('TenantScopedRepository.getOrThrow', () => {
  const ctxA = RequestContext.system('spec', 'ten_a', 'test');

  it('returns the row of the tenant and mode of ctx, asking the manager of that ctx', async () => {
    const { repo, asked } = repositoryOver([row({})]);
    await expect(repo.getWidget(ctxA, 'wid_1')).resolves.toMatchObject({ id: 'wid_1', color: 'red' });
    expect(asked).toEqual([{ ctx: ctxA, where: { id: 'wid_1', tenantId: 'ten_a', mode: 'test' } }]);
  });

  it("answers another tenant's id, or the other mode's, as not found", async () => {
    const { repo } = repositoryOver([row({ tenantId: 'ten_b' }), row({ id: 'wid_2', mode: 'live' })]);
    for (const id of ['wid_1', 'wid_2']) {
      const err = await repo.getWidget(ctxA, id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toMatchObject({ code: 'not_found', status: 404, message: `No such widget: '${id}'` });
    }
  });

  it('adds the extra conditions, which cannot widen the scope', async () => {
    const { repo, asked } = repositoryOver([row({})]);
    await expect(repo.getWidget(ctxA, 'wid_1', 'blue')).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.getWidget(ctxA, 'wid_1', 'red')).resolves.toMatchObject({ id: 'wid_1' });
    expect(asked[0].where).toEqual({ color: 'blue', id: 'wid_1', tenantId: 'ten_a', mode: 'test' });
  });
});

describe('TenantScopedRepository.lockUntilCommit', () => {
  it("keys the lock by name, ctx's tenant and mode, then the parts, so other tenants and modes never wait", async () => {
    const { repo, asked } = repositoryOver([]);
    await repo.lockPainting(RequestContext.system('spec', 'ten_a', 'test'), 'red');
    await repo.lockPainting(RequestContext.system('spec', 'ten_a', 'live'), 'red', true);
    expect(asked.map((a) => a.where)).toEqual([
      { sql: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', parameters: ['painting:ten_a:test:red'] },
      { sql: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', parameters: ['painting:ten_a:red'] },
    ]);
  });
});
