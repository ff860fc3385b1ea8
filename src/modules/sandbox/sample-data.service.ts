import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import { ProductsService } from '../catalog/products.service';
import { CustomersService } from '../customers/customers.service';
import type { SandboxSeeder } from '../identity/sandbox-seeder.port';
import { InventoryService } from '../inventory/inventory.service';
import { OrdersService } from '../orders/orders.service';
import { INVOICES, type InvoicesPort } from '../subscriptions/invoices.port';

/** The same shapes as `npm start`'s demo tenant, plus a physical product with variants. */
export const SAMPLE_PRODUCTS: Schemas['CreateProductRequest'][] = [
  { sku: 'MUG-BLUE', name: 'Blue mug', price: 1299, categories: ['kitchen'], description: 'A blue stoneware mug' },
  { sku: 'TEE-BLACK', name: 'Black T-shirt', price: 2499, categories: ['apparel'], description: 'Organic cotton' },
  { sku: 'HOSTING', name: 'Web hosting', price: 999, type: 'subscription', label_name: 'hosting', saas_only: true, categories: ['hosting'] },
];

export const SAMPLE_CUSTOMERS: Schemas['CreateCustomerRequest'][] = [
  { email: 'ada.lovelace@example.com', first_name: 'Ada', last_name: 'Lovelace' },
  { email: 'alan.turing@example.com', first_name: 'Alan', last_name: 'Turing' },
];

const SAMPLE_ADDRESS: Schemas['OrderAddress'] = { line1: '1 Analytical Way', city: 'London', postal_code: 'N1 9GU', country: 'GB' };

/**
 * A sandbox's sample data: a small catalog, two customers, a warehouse with stock, two orders and
 * an invoice. Made through the owning services, so every event, stock movement and ledger row is
 * the one a real call would make. Binds identity's SANDBOX_SEEDER (sign-up) and backs
 * `POST /sandbox/reset`.
 */
@Injectable()
export class SampleDataService implements SandboxSeeder {
  constructor(
    private readonly products: ProductsService,
    private readonly customers: CustomersService,
    private readonly inventory: InventoryService,
    private readonly orders: OrdersService,
    @Inject(INVOICES) private readonly invoices: InvoicesPort,
  ) {}

  async seedSandbox(ctx: RequestContext): Promise<void> {
    if (ctx.mode !== 'test') throw new Error('sample data belongs in test mode only');
    const products = [];
    for (const product of SAMPLE_PRODUCTS) products.push(await this.products.create(ctx, product));
    const customers = [];
    for (const customer of SAMPLE_CUSTOMERS) customers.push(await this.customers.create(ctx, customer));
    const warehouse = await this.inventory.createLocation(ctx, { name: 'Main warehouse', code: 'MAIN' });
    const [mug, tee, hosting] = products;
    for (const [product, quantity] of [[mug, 40], [tee, 25]] as const) {
      await this.inventory.adjust(ctx, product.id, { quantity, reason: 'received', location: warehouse.id, note: 'Sample stock' });
    }
    const [ada, alan] = customers;
    await this.orders.create(ctx, { customer_id: ada.id, items: [{ product_id: mug.id, quantity: 2 }], shipping_address: { ...SAMPLE_ADDRESS, first_name: 'Ada', last_name: 'Lovelace' } });
    await this.orders.create(ctx, {
      customer_id: alan.id,
      items: [{ product_id: tee.id, quantity: 1 }, { product_id: mug.id, quantity: 1 }],
      shipping_address: { ...SAMPLE_ADDRESS, first_name: 'Alan', last_name: 'Turing' },
    });
    await this.invoices.createInvoice(ctx, {
      customerId: ada.id,
      currency: hosting.currency,
      lines: [{ description: `${hosting.name} — first month`, quantity: 1, unit_amount: hosting.price }],
    });
  }
}
