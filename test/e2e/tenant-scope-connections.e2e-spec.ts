import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { resetConfigCache } from '../../src/config/config';
import { TransactionService } from '../../src/database/transaction.service';
import { TenantEntity } from '../../src/modules/identity/entities/tenant.entity';
import { CustomerEntity } from '../../src/modules/customers/entities/customer.entity';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant } from '../support/factories';

/**
 * The managers TransactionService hands out outside a transaction (row-level security: each
 * statement in a short scoped transaction of its own) must give every pooled connection back as
 * soon as the statement is answered — through each path TypeORM takes with a manager-bound query
 * runner (find, query builder, save, insert, update, delete, raw query, manager.transaction,
 * failures). On a pool of one, a connection kept by any of them makes the next step time out.
 */
describe('scoped managers keep no pooled connection between statements (e2e)', () => {
  let t: TestApp;
  let tx: TransactionService;
  let pool: Pool;
  let tenantId: string;
  let scoped: () => EntityManager;
  let unscoped: () => EntityManager;
  const saved: Record<string, string | undefined> = {};

  /** Connections taken from the pool and not given back, and callers waiting for one. */
  const inUse = () => ({ checkedOut: pool.totalCount - pool.idleCount, waiting: pool.waitingCount });
  const customer = (): Partial<CustomerEntity> => ({ id: `cus_${randomUUID().replace(/-/g, '').slice(0, 26)}`, tenantId, mode: 'live', email: `x-${randomUUID().slice(0, 8)}@example.test`, firstName: 'A', lastName: 'B' });

  beforeAll(async () => {
    for (const [k, v] of Object.entries({ DATABASE_POOL_SIZE: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '500' })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    t = await startTestApp();
    tx = t.app.get(TransactionService);
    pool = (t.app.get(DataSource).driver as PostgresDriver).master as Pool;
    tenantId = (await signUpTenant(t.http, 'Connections shop')).tenantId;
    scoped = () => tx.managerFor(RequestContext.system('test', tenantId, 'live'));
    unscoped = () => tx.managerFor(RequestContext.anonymous('req_test'));
  });
  afterAll(async () => {
    await t?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetConfigCache();
  });

  const paths: [string, () => Promise<unknown>][] = [
    ['unscoped findOneBy (a table without tenant rows)', () => unscoped().findOneBy(TenantEntity, { id: tenantId })],
    ['unscoped raw query', () => unscoped().query('SELECT 1')],
    ['scoped findOneBy', () => scoped().findOneBy(CustomerEntity, { tenantId })],
    ['scoped find with take', () => scoped().find(CustomerEntity, { where: { tenantId }, take: 5 })],
    ['scoped count', () => scoped().count(CustomerEntity, { where: { tenantId } })],
    ['scoped query builder getManyAndCount', () => scoped().createQueryBuilder(CustomerEntity, 'c').where('c.tenant_id = :tenantId', { tenantId }).getManyAndCount()],
    ['scoped query builder getRawMany', () => scoped().createQueryBuilder(CustomerEntity, 'c').select('c.id', 'id').getRawMany()],
    ['scoped save (insert)', () => scoped().save(CustomerEntity, scoped().create(CustomerEntity, customer()))],
    ['scoped save (update, same manager reads then writes then reads)', async () => {
      const m = scoped();
      const row = await m.save(CustomerEntity, m.create(CustomerEntity, customer()));
      row.firstName = 'Changed';
      await m.save(CustomerEntity, row);
      expect((await m.findOneByOrFail(CustomerEntity, { id: row.id })).firstName).toBe('Changed');
    }],
    ['scoped insert', () => scoped().insert(CustomerEntity, customer())],
    ['scoped update', () => scoped().update(CustomerEntity, { tenantId, firstName: 'nobody' }, { lastName: 'C' })],
    ['scoped delete', () => scoped().delete(CustomerEntity, { tenantId, firstName: 'nobody' })],
    ['scoped raw write', () => scoped().query(`UPDATE customers SET last_name = last_name WHERE tenant_id = $1`, [tenantId])],
    ['scoped manager.transaction', () => scoped().transaction(async (m) => m.save(CustomerEntity, m.create(CustomerEntity, customer())))],
    ['a save that fails (duplicate id)', async () => {
      const row = customer();
      await scoped().insert(CustomerEntity, row);
      await expect(scoped().save(CustomerEntity, scoped().create(CustomerEntity, { ...row, email: 'other@example.test' }))).resolves.toBeDefined(); // an update: the row exists
      await expect(scoped().insert(CustomerEntity, row)).rejects.toThrow(/duplicate key/);
    }],
    ['a statement that fails', () => expect(scoped().query('SELECT no_such_column FROM customers')).rejects.toThrow()],
    ['a cross-tenant manager outside a transaction', () => tx.managerAcrossTenants('retention').query('SELECT count(*) FROM customers')],
    ['a cross-tenant transaction', () => tx.acrossTenants('retention', (m) => m.query('SELECT count(*) FROM customers'))],
    ['TransactionService.run with a repository call inside', () => tx.run(RequestContext.system('test', tenantId, 'live'), (txCtx) => tx.managerFor(txCtx).findOneBy(CustomerEntity, { tenantId }))],
    ['TransactionService.read with several reads inside', () => tx.read(RequestContext.system('test', tenantId, 'live'), async (readCtx) => {
      await tx.managerFor(readCtx).count(CustomerEntity, { where: { tenantId } });
      return tx.managerFor(readCtx).find(CustomerEntity, { where: { tenantId }, take: 5 });
    })],
    ['TransactionService.read whose statement fails', () =>
      expect(tx.read(RequestContext.system('test', tenantId, 'live'), (readCtx) => tx.managerFor(readCtx).query('SELECT no_such_column FROM customers'))).rejects.toThrow()],
    ['TransactionService.read that tries to write', () =>
      expect(tx.read(RequestContext.system('test', tenantId, 'live'), (readCtx) => tx.managerFor(readCtx).insert(CustomerEntity, customer()))).rejects.toThrow(/read-only transaction/)],
  ];

  it.each(paths)('%s: gives the connection back', async (_name, path) => {
    await path();
    expect(inUse()).toEqual({ checkedOut: 0, waiting: 0 });
    await path(); // would wait for the pool's only connection, had the first call kept it
    expect(inUse()).toEqual({ checkedOut: 0, waiting: 0 });
  });

  it('TransactionService.read runs its reads in ONE read-only transaction under the tenant scope, and joins an open one', async () => {
    const ctx = RequestContext.system('test', tenantId, 'live');
    const snapshot = 'SELECT now()::text AS started, pg_backend_pid() AS pid, current_setting(\'transaction_read_only\') AS read_only, current_setting(\'app.tenant_id\', true) AS tenant';
    const [first, second] = await tx.read(ctx, async (readCtx) => {
      const m = tx.managerFor(readCtx);
      const [a] = await m.query(snapshot);
      await m.query('SELECT pg_sleep(0.01)');
      const [b] = await m.query(snapshot);
      return [a, b];
    });
    expect(first).toEqual(second);
    expect(first).toMatchObject({ read_only: 'on', tenant: tenantId });
    const row = customer();
    await expect(tx.run(ctx, async (txCtx) => {
      await tx.managerFor(txCtx).insert(CustomerEntity, row);
      // Inside a (read-write) transaction, read joins it: it sees the row not yet committed.
      return tx.read(txCtx, (readCtx) => tx.managerFor(readCtx).findOneBy(CustomerEntity, { id: row.id, tenantId }));
    })).resolves.toMatchObject({ id: row.id });
    expect(inUse()).toEqual({ checkedOut: 0, waiting: 0 });
  });

  it('keeps the row-level security semantics: a scoped manager sees its tenant, an unscoped one sees nothing', async () => {
    await scoped().insert(CustomerEntity, customer());
    expect(await scoped().count(CustomerEntity, { where: { tenantId } })).toBeGreaterThan(0);
    expect(await unscoped().count(CustomerEntity, { where: { tenantId } })).toBe(0);
    const [{ tenant, cross }] = await scoped().query(`SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.cross_tenant', true) AS cross`);
    expect({ tenant, cross }).toEqual({ tenant: tenantId, cross: '' });
    // The settings ended with each statement's transaction: the pooled connection carries none.
    const [{ after }] = await unscoped().query(`SELECT coalesce(current_setting('app.tenant_id', true), '') AS after`);
    expect(after).toBe('');
    expect(inUse()).toEqual({ checkedOut: 0, waiting: 0 });
  });
});
