import { renderInventoryAlertMail } from './inventory-alert.template';
import { TemplateDataError } from './rendered-mail';

describe('inventory alert mail', () => {
  const data = { kind: 'low', product_name: 'Blue Mug', sku: 'MUG-BLUE', location: 'Main warehouse', available: 3, threshold: 5 };

  it('renders a low-stock alert', () => {
    const mail = renderInventoryAlertMail(data);
    expect(mail.subject).toBe('Low stock: Blue Mug (MUG-BLUE) at Main warehouse');
    expect(mail.text).toContain('3 available, below the alert threshold of 5');
    expect(mail.html).toContain('<td>Threshold</td><td>5</td>');
  });

  it('renders an out-of-stock alert', () => {
    const mail = renderInventoryAlertMail({ ...data, kind: 'out_of_stock', available: 0, location: undefined });
    expect(mail.subject).toBe('Out of stock: Blue Mug (MUG-BLUE)');
    expect(mail.text).toContain('has run out: 0 available');
  });

  it('escapes the product name and keeps the subject on one line', () => {
    const mail = renderInventoryAlertMail({ ...data, product_name: '<img src=x onerror=alert(1)>\r\nBcc: x@y' });
    expect(mail.html).not.toContain('<img');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('refuses bad data', () => {
    expect(() => renderInventoryAlertMail({ ...data, kind: 'high' })).toThrow(TemplateDataError);
    expect(() => renderInventoryAlertMail({ ...data, available: '3' })).toThrow(TemplateDataError);
  });
});
