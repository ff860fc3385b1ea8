import { TemplateDataError } from './rendered-mail';
import { renderVerifyEmailMail } from './verify-email.template';

describe('verify_email mail', () => {
  const data = { tenant_name: 'Shop <b>One</b>', url: 'https://api.example/api/v1/tenants/verify-email?token=abc', expires_at: '2030-01-02T00:00:00.000Z' };

  it('carries the link in text and HTML, tenant text escaped', () => {
    const mail = renderVerifyEmailMail(data);
    expect(mail.subject).toBe('Confirm your e-mail address for Shop <b>One</b>');
    expect(mail.text).toContain(data.url);
    expect(mail.html).toContain('Shop &lt;b&gt;One&lt;/b&gt;');
    expect(mail.html).toContain('href="https://api.example/api/v1/tenants/verify-email?token=abc"');
  });

  it('refuses a non-http link', () => {
    expect(() => renderVerifyEmailMail({ ...data, url: 'javascript:alert(1)' })).toThrow(TemplateDataError);
  });
});
