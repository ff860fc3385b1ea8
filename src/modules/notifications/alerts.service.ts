import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { TenantContactsService } from '../identity/tenant-contacts.service';
import { MailService, type EnqueuedMail } from './mail.service';
import { TenantNotVerifiedError } from '../identity/tenant-verification.service';

/**
 * The event as the relay sees it. `data.object` fields read (first present wins):
 * product name `product_name` | `name` | `product.name`; `sku` | `product.sku`;
 * location `location_name` | `location.name` | `location_id`; `available`; `threshold`.
 */
export interface InventoryAlertEvent {
  id: string;
  /** Any relayed type; only `inventory.low` and `inventory.out_of_stock` are mailed. */
  type: string;
  data: { object: Record<string, unknown> };
}

/** Inventory alerts: one e-mail to the tenant's alert recipients per `inventory.low|out_of_stock` event. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly mail: MailService,
    private readonly contacts: TenantContactsService,
  ) {}

  /**
   * Call with the event's tenant and mode (e.g. RequestContext.system('event-relay', tenantId, mode)).
   * Safe to call again for the same event: the dedupe key `inventory_alert:<event id>` makes the
   * second call a no-op (`created: false`). Returns null for other event types.
   */
  async notifyInventoryEvent(ctx: RequestContext, event: InventoryAlertEvent): Promise<EnqueuedMail | null> {
    if (event.type !== 'inventory.low' && event.type !== 'inventory.out_of_stock') return null;
    const recipients = await this.contacts.alertRecipients(ctx);
    if (recipients.length === 0) return null;
    try {
      return await this.mail.enqueue(ctx, {
        template: 'inventory_alert',
        to: recipients,
        data: inventoryAlertData(event),
        dedupeKey: `inventory_alert:${event.id}`,
      });
    } catch (err) {
      // A live alert of a tenant whose owner is not verified yet is not mailed (nor retried): live mail waits for verification.
      if (err instanceof TenantNotVerifiedError) return null;
      throw err;
    }
  }
}

/** Maps an inventory event's object onto the inventory_alert template's data. */
export function inventoryAlertData(event: InventoryAlertEvent): Record<string, unknown> {
  const o = event.data?.object ?? {};
  const product = record(o.product);
  const location = record(o.location);
  const str = (...values: unknown[]) => values.find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  const int = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : 0);
  return {
    kind: event.type === 'inventory.out_of_stock' ? 'out_of_stock' : 'low',
    product_name: str(o.product_name, o.name, product.name, o.sku, o.product_id) ?? 'Unnamed product',
    sku: str(o.sku, product.sku) ?? null,
    location: str(o.location_name, location.name, o.location_id) ?? null,
    available: int(o.available),
    threshold: int(o.threshold),
  };
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
