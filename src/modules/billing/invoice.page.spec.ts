import type { Schemas } from '../../platform/openapi/schemas';
import { parseCardForm } from './hosted-pay.service';
import { escapeHtml } from '../../platform/html/html';
import { formatMoney } from '../../platform/money/format-money';
import { renderInvoicePage, renderNotFoundPage, renderTooManyRequestsPage } from './invoice.page';
import { amountDue, formatInvoiceNumber, isVoidable } from './invoice-status';

function invoice(overrides: Partial<Schemas['Invoice']> = {}): Schemas['Invoice'] {
  return {
    id: 'inv_01h2xcejqtf2nbrexx3vqjhp41', number: 'INV-000001', status: 'open', customer_id: 'cus_01h2xcejqtf2nbrexx3vqjhp41',
    customer_email: 'a@example.test', account_ref_id: null, currency: 'usd', subtotal: 2500, total: 2500, amount_paid: 0,
    amount_refunded: 0, amount_due: 2500, lines: [{ id: 'line_01h2xcejqtf2nbrexx3vqjhp41', description: 'Hosting', quantity: 1, unit_amount: 2500, amount: 2500, product_id: null }],
    due_date: null, hosted_invoice_url: 'http://localhost/pay/x', return_url: null, email_sent: false, service_id: null,
    product_manage_id: null, last_payment_error: null, paid_at: null, voided_at: null, livemode: false,
    created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', ...overrides,
  };
}

describe('hosted invoice page rendering', () => {
  it('escapes every tenant-supplied text: a line named <script> renders inert', () => {
    const evil = `<script>alert("x")</script><img src=x onerror='y'>`;
    const html = renderInvoicePage({
      invoice: invoice({ lines: [{ ...invoice().lines[0], description: evil }], customer_email: `"><b>@x.test` }),
      formAction: '/pay/abc', testMode: true, canPayOnline: true, message: { kind: 'error', text: '<i>declined</i>' },
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;');
  });

  it('an open invoice in test mode has the card form and the test-card hint; paid, void and unavailable have none', () => {
    const open = renderInvoicePage({ invoice: invoice(), formAction: '/pay/abc', testMode: true, canPayOnline: true });
    expect(open).toContain('<form method="post" action="/pay/abc"');
    expect(open).toContain('4242 4242 4242 4242');
    expect(open).toContain('Pay 25.00 USD');
    const paid = renderInvoicePage({ invoice: invoice({ status: 'paid', amount_due: 0 }), formAction: '/pay/abc', testMode: true, canPayOnline: true });
    expect(paid).not.toContain('<form');
    expect(paid).toContain('is paid');
    const voided = renderInvoicePage({ invoice: invoice({ status: 'void' }), formAction: '/pay/abc', testMode: false, canPayOnline: true });
    expect(voided).not.toContain('<form');
    const live = renderInvoicePage({ invoice: invoice({ livemode: true }), formAction: '/pay/abc', testMode: false, canPayOnline: false });
    expect(live).not.toContain('<form');
    expect(live).toContain('Online payment is not available');
    expect(renderNotFoundPage()).toContain('invalid or has expired');
  });

  it('formats minor units exactly, per currency exponent', () => {
    expect(formatMoney(123456789, 'usd')).toBe('1,234,567.89 USD');
    expect(formatMoney(5, 'eur')).toBe('0.05 EUR');
    expect(formatMoney(1000, 'jpy')).toBe('1,000 JPY');
    expect(escapeHtml('a&b`')).toBe('a&amp;b&#96;');
  });
});

describe('card form parsing', () => {
  const now = new Date('2026-05-01T00:00:00Z');
  it('accepts spaced numbers and two-digit years', () => {
    expect(parseCardForm({ number: '4242 4242 4242 4242', exp_month: '12', exp_year: '30', cvc: '123' }, now))
      .toEqual({ card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } });
  });
  it('names what is missing without echoing the number', () => {
    const bad = parseCardForm({ number: '4242abc', exp_month: '1', exp_year: '2030', cvc: '1' }, now);
    expect(bad).toEqual({ error: expect.stringContaining('card number') });
    expect(JSON.stringify(bad)).not.toContain('4242');
    expect(parseCardForm({ number: '4242424242424242', exp_month: '13', exp_year: '2030', cvc: '123' }, now)).toHaveProperty('error');
    expect(parseCardForm({ number: '4242424242424242', exp_month: '1', exp_year: '2030', cvc: '12' }, now)).toHaveProperty('error');
    expect(parseCardForm(undefined, now)).toHaveProperty('error');
  });
});

describe('invoice rules', () => {
  it('numbers, amount due and voidability', () => {
    expect(formatInvoiceNumber(123)).toBe('INV-000123');
    expect(amountDue('open', 1000, 400)).toBe(600);
    expect(amountDue('paid', 1000, 1000)).toBe(0);
    expect(amountDue('void', 1000, 0)).toBe(0);
    expect(isVoidable('open', 0)).toBe(true);
    expect(isVoidable('uncollectible', 0)).toBe(true);
    expect(isVoidable('open', 1)).toBe(false);
    expect(isVoidable('paid', 1000)).toBe(false);
    expect(isVoidable('void', 0)).toBe(false);
  });

  it('the 429 page says how long to wait, escaped, and why (requests or card attempts)', () => {
    expect(renderTooManyRequestsPage('<b>2 minutes</b>')).toContain('wait &lt;b&gt;2 minutes&lt;/b&gt; and try again');
    const cards = renderTooManyRequestsPage('about 24 hours', 'card_attempts');
    expect(cards).toContain('Too many cards were tried on this invoice');
    expect(cards).toContain('about 24 hours');
    expect(cards).not.toContain('<script');
  });
});
