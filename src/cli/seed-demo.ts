import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { CatalogModule } from '../modules/catalog/catalog.module';
import { ProductsService } from '../modules/catalog/products.service';
import { IdentityModule } from '../modules/identity/identity.module';
import { TenantsService } from '../modules/identity/tenants.service';
import { RequestContext } from '../platform/context/request-context';
import { QueueModule } from '../platform/queue/queue.module';
import { RedisModule } from '../platform/redis/redis.module';
import { TransactionService } from '../database/transaction.service';

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password-123';

@Module({ imports: [ConfigModule, DatabaseModule, RedisModule, QueueModule, IdentityModule, CatalogModule] })
class SeedModule {}

const DEMO_PRODUCTS = [
  { sku: 'MUG-BLUE', name: 'Blue mug', price: 1299, categories: ['kitchen'], description: 'A blue stoneware mug' },
  { sku: 'TEE-BLACK', name: 'Black T-shirt', price: 2499, categories: ['apparel'], description: 'Organic cotton' },
  { sku: 'HOSTING', name: 'Web hosting', price: 999, type: 'subscription' as const, label_name: 'hosting', saas_only: true, categories: ['hosting'] },
];

/**
 * For `npm start`: a demo tenant with a few products, made once. Its API keys are printed when it
 * is created (they are shown once); later starts print the login instead.
 */
export async function seedDemo(): Promise<{ lines: string[] }> {
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error'] });
  try {
    const existing = await app.get(TransactionService).acrossTenants('demo_seed', (m) => m.query('SELECT tenant_id FROM users WHERE email = $1 LIMIT 1', [DEMO_EMAIL]));
    if (existing.length > 0) {
      return { lines: [`Demo tenant ${existing[0].tenant_id}: log in with ${DEMO_EMAIL} / ${DEMO_PASSWORD} (POST /api/v1/auth/login)`] };
    }
    const created = await app.get(TenantsService).createWithKeys(RequestContext.anonymous('seed'), {
      name: 'Demo shop',
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
    });
    for (const mode of ['live', 'test'] as const) {
      const ctx = RequestContext.system('seed', created.tenant.id, mode);
      for (const product of DEMO_PRODUCTS) await app.get(ProductsService).create(ctx, product);
    }
    return {
      lines: [
        `Demo tenant ${created.tenant.id} with ${DEMO_PRODUCTS.length} products in live and test mode`,
        `  live API key: ${created.liveKey}`,
        `  test API key: ${created.testKey}`,
        `  login: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`,
        '  (the keys are shown once: copy them now)',
      ],
    };
  } finally {
    await app.close();
  }
}
