import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('blanks the token of the hosted pay and checkout pages, and what follows stays', () => {
    expect(redactUrl('/pay/AbC_123-xyz')).toBe('/pay/[redacted]');
    expect(redactUrl('/pay/AbC_123-xyz/pay?x=1')).toBe('/pay/[redacted]/pay?x=1');
    expect(redactUrl('/r/tok3n')).toBe('/r/[redacted]');
    expect(redactUrl('https://shop.example/pay/AbC?token=t')).toBe('https://shop.example/pay/[redacted]?token=[redacted]');
  });

  it('keeps ordinary API paths whole', () => {
    expect(redactUrl('/api/v1/products/prod_01abc')).toBe('/api/v1/products/prod_01abc');
    expect(redactUrl('/api/v1/resolve/public-url?account_ref_id=a1')).toBe('/api/v1/resolve/public-url?account_ref_id=a1');
    expect(redactUrl('/report/x')).toBe('/report/x');
  });

  it('blanks query values named like credentials, keeps the rest', () => {
    expect(redactUrl('/admin/queues?token=eyJ.a.b')).toBe('/admin/queues?token=[redacted]');
    expect(redactUrl('/x?page=2&api_key=ck_live_1&client_secret=s&password=p&sort=name')).toBe(
      '/x?page=2&api_key=[redacted]&client_secret=[redacted]&password=[redacted]&sort=name',
    );
    expect(redactUrl('/x?Access%5FToken=abc')).toBe('/x?Access%5FToken=[redacted]');
  });

  it('copes with odd input', () => {
    expect(redactUrl(undefined)).toBe('');
    expect(redactUrl('/x?flag&%E0%A4%A=1')).toBe('/x?flag&%E0%A4%A=1');
  });
});
