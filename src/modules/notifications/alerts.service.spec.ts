import { RequestContext } from '../../platform/context/request-context';
import { AlertsService, inventoryAlertData } from './alerts.service';
import type { MailService } from './mail.service';
import type { TenantContactsService } from '../identity/tenant-contacts.service';
import { renderInventoryAlertMail } from './templates/inventory-alert.template';

describe('inventory alerts', () => {
  it('maps flat and nested event objects onto the template data', () => {
    expect(inventoryAlertData({ id: 'evt_1', type: 'inventory.low', data: { object: { product_name: 'Mug', sku: 'M-1', location_name: 'Main', available: 2, threshold: 5 } } }))
      .toEqual({ kind: 'low', product_name: 'Mug', sku: 'M-1', location: 'Main', available: 2, threshold: 5 });
    const nested = inventoryAlertData({ id: 'evt_2', type: 'inventory.out_of_stock', data: { object: { product: { name: 'Cup', sku: 'C-1' }, location: { name: 'East' }, available: '0', threshold: 3 } } });
    expect(nested).toEqual({ kind: 'out_of_stock', product_name: 'Cup', sku: 'C-1', location: 'East', available: 0, threshold: 3 });
    // Whatever the event holds, the result renders.
    expect(() => renderInventoryAlertMail(inventoryAlertData({ id: 'evt_3', type: 'inventory.low', data: { object: {} } }))).not.toThrow();
  });

  it('queues one mail to the owners and admins, keyed by the event id', async () => {
    const enqueue = jest.fn().mockResolvedValue({ id: 'eml_1', created: true, status: 'queued' });
    const contacts = { alertRecipients: jest.fn().mockResolvedValue(['owner@example.test', 'admin@example.test']) };
    const service = new AlertsService({ enqueue } as unknown as MailService, contacts as unknown as TenantContactsService);
    const ctx = RequestContext.system('relay', 'ten_1', 'live');
    await service.notifyInventoryEvent(ctx, { id: 'evt_9', type: 'inventory.low', data: { object: { product_name: 'Mug', available: 1, threshold: 2 } } });
    expect(enqueue).toHaveBeenCalledWith(ctx, expect.objectContaining({ template: 'inventory_alert', to: ['owner@example.test', 'admin@example.test'], dedupeKey: 'inventory_alert:evt_9' }));
    expect(await service.notifyInventoryEvent(ctx, { id: 'evt_10', type: 'order.created', data: { object: {} } })).toBeNull();
    expect(enqueue).toHaveBeenCalledTimes(1);
  });
});
