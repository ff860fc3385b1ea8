import { DataSource } from 'typeorm';
import { describeCurrentRole, RUNTIME_ROLE, tenantTablesWithoutRls } from '../../src/database/row-level-security';
import { TransactionService } from '../../src/database/transaction.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import { ownerDb } from '../support/owner-db';

/**
 * Row-level security under the app's own connection (the runtime role): raw SQL without any
 * tenant filter still sees only the ctx's tenant and mode, and nothing without a ctx.
 */
describe('row-level security (e2e)', () => {
  let t: TestApp;
  let tx: TransactionService;
  let app: DataSource;
  let a: TenantFixture;
  let b: TenantFixture;
  const ctxOf = (tenantId: string, mode: 'live' | 'test' = 'live') => RequestContext.system('rls-test', tenantId, mode);

  async function product(token: string, sku: string) {
    const res = await t.http.post('/api/v1/products', { sku, name: sku, price: 100 }, { token });
    expect(res.status).toBe(201);
  }

  beforeAll(async () => {
    t = await startTestApp();
    tx = t.app.get(TransactionService);
    app = t.app.get(DataSource);
    [a, b] = [await signUpTenant(t.http, 'RLS A'), await signUpTenant(t.http, 'RLS B')];
    await product(a.accessToken, 'A-LIVE');
    await product(b.accessToken, 'B-LIVE');
    await product((await createApiKey(t.http, a.accessToken, { mode: 'test' })).secret, 'A-TEST');
  });
  afterAll(() => t.close());

  it('the app connects as the runtime role: no superuser, no BYPASSRLS, owner of nothing', async () => {
    const role = await describeCurrentRole(app);
    expect(role).toEqual({ role: RUNTIME_ROLE, superuser: false, bypassRls: false, ownedTables: 0 });
  });

  it('every table with a tenant_id has row-level security enabled, forced and a policy', async () => {
    const entityTables = new Set(app.entityMetadatas.map((m) => m.tableName));
    const unguarded = (await tenantTablesWithoutRls(await ownerDb())).filter((u) => entityTables.has(u.table));
    expect(unguarded).toEqual([]);
  });

  it('SELECT * FROM products without a tenant filter, through a ctx-scoped manager, returns only that tenant and mode', async () => {
    const rows: { tenant_id: string; mode: string; sku: string }[] = await tx.managerFor(ctxOf(a.tenantId)).query('SELECT * FROM products');
    expect(rows.map((r) => r.sku)).toEqual(['A-LIVE']);
    const inTest: { sku: string }[] = await tx.managerFor(ctxOf(a.tenantId, 'test')).query('SELECT * FROM products');
    expect(inTest.map((r) => r.sku)).toEqual(['A-TEST']);
    // The rows are there: the owner sees both tenants.
    const all: { sku: string }[] = await (await ownerDb()).query('SELECT sku FROM products WHERE tenant_id = ANY($1)', [[a.tenantId, b.tenantId]]);
    expect(all.map((r) => r.sku).sort()).toEqual(['A-LIVE', 'A-TEST', 'B-LIVE']);
  });

  it('the same inside a transaction, and a write for another tenant is refused', async () => {
    await tx.run(ctxOf(b.tenantId), async (txCtx) => {
      const rows: { sku: string }[] = await txCtx.manager!.query('SELECT sku FROM products');
      expect(rows.map((r) => r.sku)).toEqual(['B-LIVE']);
      const [, updated] = await txCtx.manager!.query(`UPDATE products SET name = 'taken' WHERE sku = 'A-LIVE'`);
      expect(updated).toBe(0);
    });
    await expect(
      tx.run(ctxOf(b.tenantId), (txCtx) =>
        txCtx.manager!.query(`UPDATE products SET tenant_id = $1 WHERE sku = 'B-LIVE'`, [a.tenantId]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('a query without the settings (no ctx, no SET LOCAL) returns nothing, and settings never outlive their transaction', async () => {
    expect(await app.query('SELECT * FROM products')).toEqual([]);
    expect(await app.query('SELECT * FROM customers')).toEqual([]);
    await tx.run(ctxOf(a.tenantId), async (txCtx) => {
      expect((await txCtx.manager!.query('SELECT sku FROM products')).length).toBe(1);
    });
    // Every pooled connection again: none keeps a tenant.
    const after = await Promise.all(Array.from({ length: 20 }, () => app.query(`SELECT current_setting('app.tenant_id', true) AS t, (SELECT count(*)::int FROM products) AS n`)));
    for (const [row] of after) expect({ t: row.t ?? '', n: row.n }).toEqual({ t: '', n: 0 });
  });

  it('a named cross-tenant path sees every tenant, and the transaction returns to its tenant afterwards', async () => {
    await tx.run(ctxOf(a.tenantId), async (txCtx) => {
      const across: { tenant_id: string }[] = await tx.acrossTenants(
        'renewal_sweep',
        (m) => m.query('SELECT DISTINCT tenant_id FROM products WHERE tenant_id = ANY($1)', [[a.tenantId, b.tenantId]]),
        txCtx,
      );
      expect(across.map((r) => r.tenant_id).sort()).toEqual([a.tenantId, b.tenantId].sort());
      const own: { sku: string }[] = await tx.managerFor(txCtx).query('SELECT sku FROM products');
      expect(own.map((r) => r.sku)).toEqual(['A-LIVE']);
    });
  });

  it('a transaction that starts without a tenant switches to one when its ctx names it (sign-up)', async () => {
    await tx.run(RequestContext.anonymous('rls-signup'), async (txCtx) => {
      expect(await tx.managerFor(txCtx).query('SELECT sku FROM products')).toEqual([]);
      const rows: { sku: string }[] = await tx.managerFor(txCtx.with({ tenantId: b.tenantId, mode: 'live' })).query('SELECT sku FROM products');
      expect(rows.map((r) => r.sku)).toEqual(['B-LIVE']);
    });
  });

  it('a reference to a row of another tenant is refused by the composite (tenant_id, mode, id) foreign key', async () => {
    const [bProduct] = await (await ownerDb()).query(`SELECT id FROM products WHERE tenant_id = $1`, [b.tenantId]);
    const [aTestProduct] = await (await ownerDb()).query(`SELECT id FROM products WHERE tenant_id = $1 AND mode = 'test'`, [a.tenantId]);
    const insertVariant = (productId: string) =>
      tx.run(ctxOf(a.tenantId), (txCtx) =>
        txCtx.manager!.query(`INSERT INTO product_variants (id, tenant_id, mode, product_id, sku) VALUES (gen_random_uuid()::text, $1, 'live', $2, $3)`, [
          a.tenantId, productId, `V-${productId}`,
        ]),
      );
    await expect(insertVariant(bProduct.id)).rejects.toThrow(/foreign key/);
    await expect(insertVariant(aTestProduct.id)).rejects.toThrow(/foreign key/); // same tenant, other mode
  });

  it('over HTTP, one tenant still cannot read the other', async () => {
    const list = await t.http.get('/api/v1/products', { token: b.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.data.map((p: { sku: string }) => p.sku)).toEqual(['B-LIVE']);
  });
});
