import { renderInvoiceMail } from './invoice.template';
import { TemplateDataError } from './rendered-mail';

describe('invoice mail', () => {
  const data = { number: 'INV-0001', amount: 12345, currency: 'usd', hosted_invoice_url: 'https://api.example.com/pay/tok_1', tenant_name: 'Acme' };

  it('renders number, exact amount and the hosted link', () => {
    const mail = renderInvoiceMail(data);
    expect(mail.subject).toBe('Invoice INV-0001 from Acme: 123.45 USD');
    expect(mail.text).toContain('123.45 USD');
    expect(mail.text).toContain('https://api.example.com/pay/tok_1');
    expect(mail.html).toContain('href="https://api.example.com/pay/tok_1"');
    expect(mail.html).toContain('<strong>123.45 USD</strong>');
  });

  it('escapes tenant-supplied values in HTML', () => {
    const mail = renderInvoiceMail({ ...data, tenant_name: '<b>Evil</b>', customer_name: 'Bob "the" <i>' });
    expect(mail.html).not.toContain('<b>Evil</b>');
    expect(mail.html).toContain('&lt;b&gt;Evil&lt;/b&gt;');
    expect(mail.html).toContain('Bob &quot;the&quot; &lt;i&gt;');
  });

  it('refuses missing or unsafe data', () => {
    expect(() => renderInvoiceMail({ ...data, amount: 1.5 })).toThrow(TemplateDataError);
    expect(() => renderInvoiceMail({ ...data, hosted_invoice_url: 'javascript:alert(1)' })).toThrow(TemplateDataError);
    expect(() => renderInvoiceMail({ ...data, number: '' })).toThrow(TemplateDataError);
  });
});
