import type { TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { createProduct, startShopAppWithOther } from '../support/fixtures';
import type { TypedApi } from '../support/typed-api';
import { RequestContext } from '../../src/platform/context/request-context';
import { NotFoundError } from '../../src/platform/errors/domain-errors';
import { ProductsService } from '../../src/modules/catalog/products.service';

describe('catalog: variants, subscription tiers and products for sale (e2e)', () => {
  let t: TestApp, shop: TenantFixture, other: TenantFixture, api: TypedApi;

  beforeAll(async () => {
    ({ t, shop, api, other } = await startShopAppWithOther('Catalog shop'));
  });
  afterAll(() => t.close());

  describe('variants', () => {
    it('adds, updates and deletes variants; SKUs are unique among variants', async () => {
      const p = await createProduct(api);
      const created = await api.post('/products/{id}/variants', { path: { id: p.id }, body: { sku: `${p.sku}-RED`, price: 2100, attributes: { color: 'red' } } });
      expect(created.status).toBe(201);
      const v = created.body.data;
      expect(v).toMatchObject({ product_id: p.id, sku: `${p.sku}-RED`, price: 2100, attributes: { color: 'red' }, image: null });
      expect(v.id).toMatch(/^var_/);
      expect((await api.get('/products/{id}', { path: { id: p.id } })).body.data.variants).toEqual([v]);

      const dup = await api.post('/products/{id}/variants', { path: { id: p.id }, body: { sku: `${p.sku}-RED` } });
      expect(dup.status).toBe(409);
      expect(dup.body.error.field).toBe('sku');
      const bad = await api.post('/products/{id}/variants', { path: { id: p.id }, body: { sku: 'ok-sku', price: 9.5 } });
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toBe('price');

      const patched = await api.patch('/products/{id}/variants/{variant_id}', { path: { id: p.id, variant_id: v.id }, body: { price: null, image: 'https://cdn.example.com/red.png' } });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ price: null, image: 'https://cdn.example.com/red.png', sku: v.sku });

      const elsewhere = await createProduct(api);
      expect((await api.patch('/products/{id}/variants/{variant_id}', { path: { id: elsewhere.id, variant_id: v.id }, body: { price: 1 } })).status).toBe(404);
      expect((await api.patch('/products/{id}/variants/{variant_id}', { path: { id: p.id, variant_id: 'var_bad' }, body: { price: 1 } })).status).toBe(404);
      expect((await api.as(other.accessToken).delete('/products/{id}/variants/{variant_id}', { path: { id: p.id, variant_id: v.id } })).status).toBe(404);

      expect((await api.delete('/products/{id}/variants/{variant_id}', { path: { id: p.id, variant_id: v.id } })).status).toBe(204);
      expect((await api.delete('/products/{id}/variants/{variant_id}', { path: { id: p.id, variant_id: v.id } })).status).toBe(404);
      expect((await api.get('/products/{id}', { path: { id: p.id } })).body.data.variants).toEqual([]);
    });
  });

  describe('subscription tiers', () => {
    it('manages tiers of a subscription product and lists them by label', async () => {
      const single = await createProduct(api);
      const refused = await api.post('/products/{id}/tiers', { path: { id: single.id }, body: { label_name: 'basic', name: 'Basic', price: 500, billing_cycle: 'monthly' } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.field).toBe('type');

      const sub = await createProduct(api, { type: 'subscription', label_name: 'cloud-hosting', currency: 'eur' });
      expect(sub.label_name).toBe('cloud-hosting');
      const basic = await api.post('/products/{id}/tiers', { path: { id: sub.id }, body: { label_name: 'basic', name: 'Basic', price: 500, billing_cycle: 'monthly', features: ['1 site'] } });
      expect(basic.status).toBe(201);
      expect(basic.body.data).toMatchObject({ product_id: sub.id, label_name: 'basic', price: 500, currency: 'eur', billing_cycle: 'monthly', features: ['1 site'], is_popular: false, description: null });
      expect(basic.body.data.id).toMatch(/^tier_/);
      const pro = await api.post('/products/{id}/tiers', { path: { id: sub.id }, body: { label_name: 'pro', name: 'Pro', price: 1500, billing_cycle: 'yearly', is_popular: true } });
      expect(pro.status).toBe(201);

      const dup = await api.post('/products/{id}/tiers', { path: { id: sub.id }, body: { label_name: 'pro', name: 'Pro again', price: 1, billing_cycle: 'monthly' } });
      expect(dup.status).toBe(409);
      expect(dup.body.error.field).toBe('label_name');
      const bad = await api.send('post', '/products/{id}/tiers', { path: { id: sub.id }, body: { label_name: 'x', name: 'X', price: 1, billing_cycle: 'weekly' } });
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toBe('billing_cycle');

      const list = await api.get('/products/{id}/tiers', { path: { id: sub.id } });
      expect(list.status).toBe(200);
      expect(list.body.data.map((x) => x.label_name)).toEqual(['basic', 'pro']);

      const patched = await api.patch('/products/{id}/tiers/{tier_id}', { path: { id: sub.id, tier_id: pro.body.data.id }, body: { price: 400, billing_cycle: 'quarterly' } });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ price: 400, billing_cycle: 'quarterly', is_popular: true });

      const byLabel = await api.get('/tiers/{subscription_label_name}', { path: { subscription_label_name: 'cloud-hosting' } });
      expect(byLabel.status).toBe(200);
      expect(byLabel.body.data.map((x) => x.label_name)).toEqual(['pro', 'basic']);
      expect((await api.get('/tiers/{subscription_label_name}', { path: { subscription_label_name: 'no-such-label' } })).status).toBe(404);
      expect((await api.as(other.accessToken).get('/tiers/{subscription_label_name}', { path: { subscription_label_name: 'cloud-hosting' } })).status).toBe(404);

      // A subscription with tiers keeps its type; its label is unique.
      const retype = await api.patch('/products/{id}', { path: { id: sub.id }, body: { type: 'single' } });
      expect(retype.status).toBe(409);
      const sameLabel = await api.post('/products', { body: { sku: 'SUB-2', name: 'Other sub', price: 1, type: 'subscription', label_name: 'cloud-hosting' } });
      expect(sameLabel.status).toBe(409);
      expect(sameLabel.body.error.field).toBe('label_name');

      expect((await api.delete('/products/{id}/tiers/{tier_id}', { path: { id: sub.id, tier_id: basic.body.data.id } })).status).toBe(204);
      expect((await api.delete('/products/{id}/tiers/{tier_id}', { path: { id: sub.id, tier_id: 'tier_nope' } })).status).toBe(404);
      expect((await api.get('/products/{id}/tiers', { path: { id: sub.id } })).body.data).toHaveLength(1);
    });
  });

  describe('ProductsService.getForSale (for inventory and orders)', () => {
    let service: ProductsService;
    let ctx: RequestContext;

    beforeAll(() => {
      service = t.app.get(ProductsService);
      ctx = RequestContext.system('catalog-test', shop.tenantId, 'live');
    });

    it('returns the product and the variant price override', async () => {
      const p = await createProduct(api, { price: 3000, variants: [{ sku: 'SALE-V1', price: 3500 }, { sku: 'SALE-V2' }] });
      expect(await service.getForSale(ctx, p.id)).toEqual({
        id: p.id, sku: p.sku, name: p.name, price: 3000, currency: 'usd', status: 'active', variantId: null, variantPrice: null,
      });
      expect(await service.getForSale(ctx, p.id, p.variants[0].id)).toMatchObject({ variantId: p.variants[0].id, variantPrice: 3500 });
      expect(await service.getForSale(ctx, p.id, p.variants[1].id)).toMatchObject({ variantId: p.variants[1].id, variantPrice: null });
    });

    it('throws NotFoundError for archived, missing, malformed, foreign or other-mode products and unknown variants', async () => {
      const p = await createProduct(api);
      const q = await createProduct(api, { variants: [{ sku: 'FOREIGN-V' }] });
      await expect(service.getForSale(ctx, 'prod_01h2xcejqtf2nbrexx3vqjhp41')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(ctx, 'garbage')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(ctx, p.id, 'var_bad')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(ctx, p.id, q.variants[0].id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(RequestContext.system('catalog-test', other.tenantId, 'live'), p.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(RequestContext.system('catalog-test', shop.tenantId, 'test'), p.id)).rejects.toBeInstanceOf(NotFoundError);
      await api.delete('/products/{id}', { path: { id: p.id } });
      await expect(service.getForSale(ctx, p.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
