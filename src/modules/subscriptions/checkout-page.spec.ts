import { escapeHtml, formatAmount, renderCheckoutPage, renderLinkNotFound } from './checkout-page';

describe('checkout page', () => {
  it('escapes every tenant text', () => {
    const html = renderCheckoutPage({
      kind: 'subscription', productName: '<script>alert(1)</script>', description: 'a "quoted" & \'single\'', tierName: '<b>Pro</b>',
      price: 3200, currency: 'usd', billingCycle: 'monthly', features: ['<img src=x onerror=alert(1)>'], accountRefId: 'acc<1>',
      email: 'a@b.test', livemode: false, expiresAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Pro');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('32.00 USD / monthly');
    expect(html).toContain('Test mode');
  });

  it('formats minor units exactly', () => {
    expect(formatAmount(19999, 'usd')).toBe('199.99 USD');
    expect(formatAmount(5, 'eur')).toBe('0.05 EUR');
    expect(formatAmount(500, 'jpy')).toBe('500 JPY');
    expect(escapeHtml(null)).toBe('');
    expect(renderLinkNotFound()).toContain('invalid or has expired');
  });
});
