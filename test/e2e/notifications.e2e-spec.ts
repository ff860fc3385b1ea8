import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { typeid } from 'typeid-js';
import { resetConfigCache } from '../../src/config/config';
import { TransactionService } from '../../src/database/transaction.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { AlertsService } from '../../src/modules/notifications/alerts.service';
import { MailService } from '../../src/modules/notifications/mail.service';
import { NotificationsRepository } from '../../src/modules/notifications/notifications.repository';
import type { OutboundEmailEntity } from '../../src/modules/notifications/entities/outbound-email.entity';
import { WorkerModule } from '../../src/worker.module';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { SmtpReceiver } from '../support/smtp-receiver';
import { pause, waitFor } from '../support/wait';

/** Waits until the outbound e-mail row `id` satisfies `done`; returns it. */
async function waitForRow(
  repo: NotificationsRepository, ctx: RequestContext, id: string, done: (row: OutboundEmailEntity) => boolean, timeoutMs = 15000,
): Promise<OutboundEmailEntity> {
  return waitFor(`outbound e-mail ${id} to reach the expected state`, async () => {
    const row = await repo.find(ctx, id);
    return row && done(row) ? row : null;
  }, timeoutMs, 100);
}

function inventoryEvent(type: 'inventory.low' | 'inventory.out_of_stock', object: Record<string, unknown>) {
  return { id: typeid('evt').toString(), type, data: { object } };
}

async function bootWorker(): Promise<INestApplicationContext> {
  resetConfigCache();
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  worker.enableShutdownHooks();
  await worker.init();
  return worker;
}

describe('notifications: mail queue and inventory alerts (e2e)', () => {
  // Both keep only the tenant's mail: this worker also relays alerts of tenants other test files left behind.
  const live = new SmtpReceiver();
  const sandbox = new SmtpReceiver();
  let sandboxUrl: string;
  let api: TestApp;
  let worker: INestApplicationContext;
  let tenant: TenantFixture;
  let liveCtx: RequestContext;
  let testCtx: RequestContext;

  const services = () => ({
    alerts: worker.get(AlertsService, { strict: false }),
    mail: worker.get(MailService, { strict: false }),
    repo: worker.get(NotificationsRepository, { strict: false }),
  });

  beforeAll(async () => {
    process.env.QUEUE_PREFIX = `cbapinotif${process.pid}`;
    process.env.SMTP_URL = await live.start();
    sandboxUrl = await sandbox.start();
    delete process.env.SANDBOX_SMTP_URL; // first: test-mode mail is only recorded
    api = await startTestApp();
    tenant = await signUpTenant(api.http, 'Mail shop');
    live.watch(tenant.email);
    sandbox.watch(tenant.email);
    liveCtx = RequestContext.system('notifications-test', tenant.tenantId, 'live');
    testCtx = RequestContext.system('notifications-test', tenant.tenantId, 'test');
    worker = await bootWorker();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await live.stop();
    await sandbox.stop();
    delete process.env.SANDBOX_SMTP_URL;
    resetConfigCache();
  });

  it('e-mails the owner once when stock crosses the threshold, however often the event is relayed', async () => {
    const { alerts, repo } = services();
    const event = inventoryEvent('inventory.low', {
      product_id: 'prod_x', product_name: 'Blue <Mug>', sku: 'MUG-BLUE', location_name: 'Main warehouse', available: 3, threshold: 5,
    });
    const first = await alerts.notifyInventoryEvent(liveCtx, event);
    expect(first).toMatchObject({ created: true, status: 'queued' });

    const [message] = await live.waitForMail(tenant.email, 1);
    expect(live.messages).toHaveLength(1);
    expect(message.envelopeTo).toEqual([tenant.email.toLowerCase()]);
    expect(message.subject).toBe('Low stock: Blue <Mug> (MUG-BLUE) at Main warehouse');
    expect(message.text).toContain('3 available, below the alert threshold of 5');
    expect(message.html).toContain('Blue &lt;Mug&gt;');
    expect(message.html).not.toContain('Blue <Mug>');
    expect(message.messageId).toBe(`<${first!.id}@localhost>`);

    const row = await waitForRow(repo, liveCtx, first!.id, (r) => r.status === 'sent');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, error: null, template: 'inventory_alert', recipients: [tenant.email.toLowerCase()] });
    expect(row.sentAt).toBeInstanceOf(Date);

    // The relay retries the same event: same row, nothing new sent.
    const again = await alerts.notifyInventoryEvent(liveCtx, event);
    expect(again).toEqual({ id: first!.id, created: false, status: 'sent' });
    // Proves an absence (nothing new sent), which no condition signals: a quiet window.
    await pause(1000);
    expect(live.messages).toHaveLength(1);
  });

  it('a second crossing (a new event) is a second e-mail, and out-of-stock says so', async () => {
    const { alerts } = services();
    const before = live.messages.length;
    await alerts.notifyInventoryEvent(liveCtx, inventoryEvent('inventory.out_of_stock', { product: { name: 'Red Cup', sku: 'CUP-RED' }, available: 0, threshold: 5 }));
    const messages = await live.waitForMail(tenant.email, before + 1);
    expect(messages[before].subject).toBe('Out of stock: Red Cup (CUP-RED)');
  });

  it('a running job that is enqueued again does not send twice (one job per row)', async () => {
    const { mail, repo } = services();
    const before = live.messages.length;
    const data = { number: 'INV-DUP', amount: 100, currency: 'usd', hosted_invoice_url: 'https://example.test/pay/dup' };
    const queued = await mail.enqueue(liveCtx, { template: 'invoice', to: [tenant.email], data, dedupeKey: 'invoice:dup' });
    await Promise.all([1, 2, 3].map(() => mail.enqueue(liveCtx, { template: 'invoice', to: [tenant.email], data, dedupeKey: 'invoice:dup' })));
    await waitForRow(repo, liveCtx, queued.id, (r) => r.status === 'sent');
    // Proves an absence (no second send), which no condition signals: a quiet window.
    await pause(500);
    expect(live.messages.length).toBe(before + 1);
  });

  it('renders an invoice e-mail with the exact amount', async () => {
    const { mail } = services();
    const before = live.messages.length;
    await mail.enqueue(liveCtx, {
      template: 'invoice',
      to: [tenant.email],
      data: { number: 'INV-0042', amount: 12345, currency: 'usd', hosted_invoice_url: 'https://example.test/pay/tok_42', tenant_name: 'Mail shop' },
      dedupeKey: 'invoice:inv_42',
    });
    const message = (await live.waitForMail(tenant.email, before + 1))[before];
    expect(message.subject).toBe('Invoice INV-0042 from Mail shop: 123.45 USD');
    expect(message.text).toContain('123.45 USD');
    expect(message.html).toContain('href="https://example.test/pay/tok_42"');
  });

  it('retries a refused delivery and counts the attempts', async () => {
    const { mail, repo } = services();
    const before = live.messages.length;
    live.refuseOnce.add(tenant.email.toLowerCase());
    const queued = await mail.enqueue(liveCtx, {
      template: 'ticket', to: [tenant.email], dedupeKey: 'ticket:tkt_retry',
      data: { subject: 'Server down', body: 'Since noon.', url: 'https://example.test/tickets/tkt_1' },
    });
    const row = await waitForRow(repo, liveCtx, queued.id, (r) => r.status === 'sent', 20000);
    expect(row.attempts).toBe(2);
    expect(live.messages.length).toBe(before + 1);
  });

  it('refuses bad input before queuing anything', async () => {
    const { mail } = services();
    await expect(mail.enqueue(liveCtx, { template: 'invoice', to: ['not-an-address'], data: {}, dedupeKey: 'x' })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(mail.enqueue(liveCtx, { template: 'invoice', to: [tenant.email], data: { number: 'X', amount: 1.5, currency: 'usd', hosted_invoice_url: 'https://e.test' }, dedupeKey: 'y' }))
      .rejects.toMatchObject({ code: 'validation_error' });
  });

  it('test mode without SANDBOX_SMTP_URL records the e-mail and sends nothing', async () => {
    const { alerts, repo } = services();
    const liveBefore = live.messages.length;
    const queued = await alerts.notifyInventoryEvent(testCtx, inventoryEvent('inventory.low', { product_name: 'Sandbox Mug', available: 1, threshold: 2 }));
    const row = await waitForRow(repo, testCtx, queued!.id, (r) => r.status !== 'queued');
    expect(row).toMatchObject({ status: 'recorded', messageId: null, mode: 'test' });
    // Proves an absence (nothing sent live), which no condition signals: a quiet window.
    await pause(500);
    expect(live.messages.length).toBe(liveBefore);
    expect(sandbox.messages).toHaveLength(0);
    // The live row with the same dedupe key is a different row: modes never mix.
    expect(await repo.find(liveCtx, queued!.id)).toBeNull();
  });

  it('test mode with SANDBOX_SMTP_URL sends to the sandbox receiver only', async () => {
    await worker.close();
    process.env.SANDBOX_SMTP_URL = sandboxUrl;
    worker = await bootWorker();
    const { alerts, repo } = services();
    const liveBefore = live.messages.length;
    const queued = await alerts.notifyInventoryEvent(testCtx, inventoryEvent('inventory.out_of_stock', { product_name: 'Sandbox Cup', available: 0, threshold: 2 }));
    const [message] = await sandbox.waitForMail(tenant.email, 1);
    expect(message.subject).toBe('Out of stock: Sandbox Cup');
    await waitForRow(repo, testCtx, queued!.id, (r) => r.status === 'sent');
    expect(live.messages.length).toBe(liveBefore);
  });

  it('requeues a row whose job was lost', async () => {
    const { mail, repo } = services();
    const before = live.messages.length;
    // A row inserted with no job (as if the process died right after the insert), aged past a minute.
    const ref = await repo.insertIfAbsent(liveCtx, {
      id: typeid('eml').toString(), template: 'invoice', recipients: [tenant.email.toLowerCase()], subject: 'Invoice INV-LOST',
      data: { number: 'INV-LOST', amount: 500, currency: 'eur', hosted_invoice_url: 'https://example.test/pay/lost' }, dedupeKey: 'invoice:lost',
    });
    const ds = worker.get(TransactionService, { strict: false }).managerFor(liveCtx);
    await ds.query(`UPDATE outbound_emails SET created_at = now() - interval '2 minutes' WHERE id = $1`, [ref.id]);
    const requeued = await mail.requeueStale(RequestContext.system('notifications-test', tenant.tenantId, 'live'), 100);
    expect(requeued).toBeGreaterThanOrEqual(1);
    const message = (await live.waitForMail(tenant.email, before + 1))[before];
    expect(message.text).toContain('5.00 EUR');
    await waitForRow(repo, liveCtx, ref.id, (r) => r.status === 'sent');
  });
});
