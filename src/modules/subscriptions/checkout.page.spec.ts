import { escapeHtml } from '../../platform/html/html';
import { formatMoney } from '../../platform/money/format-money';
import { renderCheckoutPage, renderLinkNotFound, renderSubscribed } from './checkout.page';

describe('checkout page', () => {
  it('escapes every tenant text', () => {
    const html = renderCheckoutPage({
      kind: 'subscription', productName: '<script>alert(1)</script>', description: 'a "quoted" & \'single\'', tierName: '<b>Pro</b>',
      price: 3200, currency: 'usd', billingCycle: 'monthly', features: ['<img src=x onerror=alert(1)>'], accountRefId: 'acc<1>',
      email: 'a@b.test', livemode: false, expiresAt: new Date('2026-01-01T00:00:00Z'), formAction: '/r/tok"en',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Pro');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('32.00 USD / monthly');
    expect(html).toContain('Test mode');
    expect(html).toContain('<form method="post" action="/r/tok&quot;en"');
    expect(html).toContain('>Subscribe</button>');
    expect(html).not.toContain('name="email"'); // the link carries the e-mail
  });

  it('asks for the e-mail when the link has none, refills it escaped, and drops the form when checkout is closed', () => {
    const base = {
      kind: 'product' as const, productName: 'Onboarding', description: null, tierName: null, price: 9900, currency: 'usd', billingCycle: null,
      features: [], accountRefId: 'acc', email: null, livemode: true, expiresAt: new Date('2026-01-01T00:00:00Z'), formAction: '/r/x',
    };
    const asked = renderCheckoutPage({ ...base, emailValue: '"><script>x</script>', message: 'Enter a <valid> e-mail' });
    expect(asked).toContain('name="email"');
    expect(asked).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(asked).toContain('Enter a &lt;valid&gt; e-mail');
    expect(asked).toContain('>Continue to payment</button>');
    expect(asked).not.toContain('Test mode');
    const closed = renderCheckoutPage({ ...base, message: 'Already subscribed', canCheckout: false });
    expect(closed).not.toContain('<form');
    expect(closed).toContain('Already subscribed');
    expect(renderSubscribed({ productName: '<b>Studio</b>', tierName: 'Free', accountRefId: 'a&b' })).toContain('&lt;b&gt;Studio&lt;/b&gt; — Free');
  });

  it('formats minor units exactly', () => {
    expect(formatMoney(19999, 'usd')).toBe('199.99 USD');
    expect(formatMoney(5, 'eur')).toBe('0.05 EUR');
    expect(formatMoney(500, 'jpy')).toBe('500 JPY');
    expect(escapeHtml(null)).toBe('');
    expect(renderLinkNotFound()).toContain('invalid or has expired');
  });
});
