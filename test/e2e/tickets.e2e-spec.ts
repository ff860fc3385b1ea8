import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { webhookProblems } from '../support/openapi-validator';
import { createCustomer, customerLogin, type CustomerFixture, type CustomerLoginFixture } from '../support/portal-fixtures';
import { SmtpReceiver } from '../support/smtp-receiver';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * A support conversation end to end: the customer and staff take turns, each message e-mails the
 * other party through the worker to a real SMTP server, and ticket.* events arrive as signed webhooks.
 */
describe('tickets: conversation, e-mail and webhooks (e2e)', () => {
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let shop: TenantFixture;
  let customer: CustomerFixture;
  let portal: CustomerLoginFixture;
  const smtp = new SmtpReceiver();
  const hooks = new WebhookReceiver();
  let hookSecret: string;
  const billingDesk = `billing-${randomUUID()}@example.test`;

  const staff = () => ({ token: shop.accessToken });
  const client = () => ({ token: portal.accessToken });

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapitickets', { SMTP_URL: await smtp.start(), OUTBOX_POLL_MS: '100' }));
    shop = await signUpTenant(t.http, 'Hosting desk');
    customer = await createCustomer(t.http, shop);
    portal = await customerLogin(t.http, shop, customer.id);
    smtp.watch(customer.email, billingDesk, shop.email);
    const endpoint = await t.http.post('/api/v1/webhooks', { url: await hooks.start(), events: ['ticket.*'] }, staff());
    expect(endpoint.status).toBe(201);
    hookSecret = endpoint.body.data.secret;
  });
  afterAll(async () => {
    await stopApp?.();
    await hooks.stop();
    await smtp.stop();
  });

  it('runs a conversation: each message e-mails the other party, a customer reply reopens a closed ticket', async () => {
    const departments = await t.http.put('/api/v1/settings/ticket-departments', {
      departments: [
        { key: 'billing', name: 'Billing', email: billingDesk },
        { key: 'technical', name: 'Technical support', email: null },
      ],
    }, staff());
    expect(departments.status).toBe(200);
    expect(departments.body.data.map((d: { key: string }) => d.key)).toEqual(['billing', 'technical']);

    // The customer opens the ticket in the billing department: the billing desk hears of it.
    const opened = await t.http.post('/api/v1/tickets', {
      customer_id: customer.id, subject: 'Invoice <b>twice</b>', body: 'I was charged twice for March.', priority: 'high', department: 'billing',
    }, client());
    expect(opened.status).toBe(201);
    const ticket = opened.body.data;
    expect(ticket).toMatchObject({
      customer_id: customer.id, status: 'open', priority: 'high', department: 'billing', message_count: 1, last_reply_by: 'customer', closed_at: null, livemode: true,
    });
    expect(ticket.messages).toEqual([expect.objectContaining({ author_type: 'customer', author_id: portal.userId, body: 'I was charged twice for March.' })]);
    const [toDesk] = await smtp.waitForMail(billingDesk, 1);
    expect(toDesk.subject).toBe(`Ticket ${ticket.id}: Invoice <b>twice</b>`);
    expect(toDesk.text).toContain('I was charged twice for March.');
    expect(toDesk.html || '').not.toContain('<b>twice</b>');
    expect(toDesk.text).toContain(`/api/v1/tickets/${ticket.id}`);

    // Staff answers: the customer is e-mailed and the ticket waits for the customer.
    const answered = await t.http.post(`/api/v1/tickets/${ticket.id}/reply`, { body: 'Refunded the second charge.' }, staff());
    expect(answered.status).toBe(200);
    expect(answered.body.data).toMatchObject({ status: 'answered', message_count: 2, last_reply_by: 'staff' });
    const [toCustomer] = await smtp.waitForMail(customer.email, 1);
    expect(toCustomer.subject).toBe(`New reply on ${ticket.id}: Invoice <b>twice</b>`);
    expect(toCustomer.text).toContain('Refunded the second charge.');

    // The customer answers back: the desk again.
    const back = await t.http.post(`/api/v1/tickets/${ticket.id}/reply`, { body: 'Thanks, I see it now.' }, client());
    expect(back.body.data).toMatchObject({ status: 'open', message_count: 3, last_reply_by: 'customer' });
    expect((await smtp.waitForMail(billingDesk, 2))[1].text).toContain('Thanks, I see it now.');

    // Staff closes it: the customer is told; closing twice is a conflict, and so is a staff reply now.
    const closed = await t.http.post(`/api/v1/tickets/${ticket.id}/close`, undefined, staff());
    expect(closed.status).toBe(200);
    expect(closed.body.data).toMatchObject({ status: 'closed', closed_at: expect.any(String) });
    const [, closing] = await smtp.waitForMail(customer.email, 2);
    expect(closing.subject).toBe(`Closed ${ticket.id}: Invoice <b>twice</b>`);
    expect((await t.http.post(`/api/v1/tickets/${ticket.id}/close`, undefined, staff())).status).toBe(409);
    const staffOnClosed = await t.http.post(`/api/v1/tickets/${ticket.id}/reply`, { body: 'One more thing' }, staff());
    expect(staffOnClosed.status).toBe(409);
    expect(staffOnClosed.body.error.code).toBe('conflict');

    // A customer reply reopens it.
    const reopened = await t.http.post(`/api/v1/tickets/${ticket.id}/reply`, { body: 'Charged again in April!' }, client());
    expect(reopened.body.data).toMatchObject({ status: 'open', closed_at: null, message_count: 4 });
    expect((await smtp.waitForMail(billingDesk, 3))[2].text).toContain('Charged again in April!');

    // The whole conversation, oldest first, for both parties.
    for (const auth of [staff(), client()]) {
      const read = await t.http.get(`/api/v1/tickets/${ticket.id}`, auth);
      expect(read.status).toBe(200);
      expect(read.body.data.messages.map((m: { author_type: string; body: string }) => [m.author_type, m.body])).toEqual([
        ['customer', 'I was charged twice for March.'],
        ['staff', 'Refunded the second charge.'],
        ['customer', 'Thanks, I see it now.'],
        ['customer', 'Charged again in April!'],
      ]);
    }
    expect(smtp.to(customer.email)).toHaveLength(2);
    expect(smtp.to(billingDesk)).toHaveLength(3);
  });

  it('e-mails the owners when the department names no address, and the customer when staff opens the ticket', async () => {
    const byCustomer = await t.http.post('/api/v1/tickets', {
      customer_id: customer.id, subject: 'Server down', body: 'My VPS does not answer.', priority: 'urgent', department: 'technical',
    }, client());
    expect(byCustomer.status).toBe(201);
    const [toOwner] = await smtp.waitForMail(shop.email, 1);
    expect(toOwner.subject).toBe(`Ticket ${byCustomer.body.data.id}: Server down`);

    const before = smtp.to(customer.email).length;
    const byStaff = await t.http.post('/api/v1/tickets', {
      customer_id: customer.id, subject: 'Planned maintenance', body: 'We will reboot your server tonight.', priority: 'low',
    }, staff());
    expect(byStaff.status).toBe(201);
    expect(byStaff.body.data).toMatchObject({ status: 'answered', last_reply_by: 'staff', department: null });
    expect(byStaff.body.data.messages[0]).toMatchObject({ author_type: 'staff', author_id: shop.ownerId });
    const mails = await smtp.waitForMail(customer.email, before + 1);
    expect(mails[before].subject).toBe(`Ticket ${byStaff.body.data.id}: Planned maintenance`);
  });

  it('delivers ticket.created, ticket.replied and ticket.closed as signed webhooks shaped like the spec', async () => {
    const opened = await t.http.post('/api/v1/tickets', { customer_id: customer.id, subject: 'Hooks', body: 'first', priority: 'normal' }, staff());
    const id = opened.body.data.id;
    await t.http.post(`/api/v1/tickets/${id}/reply`, { body: 'second' }, client());
    await t.http.post(`/api/v1/tickets/${id}/close`, undefined, client());

    const ofTicket = () => hooks.received.filter((r) => JSON.parse(r.body).data.object.id === id);
    await hooks.waitFor(() => ofTicket().length >= 3);
    const payloads = ofTicket().map((r) => JSON.parse(r.body));
    expect(payloads.map((p) => p.type).sort()).toEqual(['ticket.closed', 'ticket.created', 'ticket.replied']);
    const byType = Object.fromEntries(payloads.map((p) => [p.type, p.data.object]));
    expect(byType['ticket.created']).toMatchObject({ status: 'answered', message: { author_type: 'staff', body: 'first' } });
    expect(byType['ticket.replied']).toMatchObject({ status: 'open', message_count: 2, message: { author_type: 'customer', body: 'second' } });
    expect(byType['ticket.closed']).toMatchObject({ status: 'closed' });
    expect(byType['ticket.closed'].message).toBeUndefined();
    for (const delivery of ofTicket()) {
      expect(webhookProblems(delivery.body, delivery.headers)).toEqual([]);
      expect(() => new Webhook(hookSecret).verify(delivery.body, delivery.headers as Record<string, string>)).not.toThrow();
    }
    // Every ticket event of this file reached the endpoint (the earlier tests' ones too).
    const events = await t.http.get('/api/v1/events', { ...staff(), query: { type: 'ticket.created' } });
    expect(events.status).toBe(200);
    expect(events.body.data.length).toBeGreaterThanOrEqual(4);
  });
});
