import { hostMatches, isAllowedReturnUrl, isLocalPath, returnUrlOrigin } from './redirect-policy';

describe('redirect policy', () => {
  it('a local path is allowed without any domain; protocol-relative and backslash tricks are not', () => {
    expect(isLocalPath('/thanks?x=1')).toBe(true);
    expect(isAllowedReturnUrl('/thanks', [])).toBe(true);
    expect(isAllowedReturnUrl('//evil.example/x', [])).toBe(false);
    expect(isAllowedReturnUrl('/\\evil.example', [])).toBe(false);
    expect(isAllowedReturnUrl('thanks', [])).toBe(false);
  });

  it('an absolute URL only on an allowed host; none configured → none allowed', () => {
    expect(isAllowedReturnUrl('https://shop.example/done', [])).toBe(false);
    expect(isAllowedReturnUrl('https://shop.example/done', ['shop.example'])).toBe(true);
    expect(isAllowedReturnUrl('http://SHOP.example:8080/done', ['shop.example'])).toBe(true);
    expect(isAllowedReturnUrl('https://shop.example.evil.test/', ['shop.example'])).toBe(false);
    expect(isAllowedReturnUrl('https://evilshop.example/', ['shop.example'])).toBe(false);
    expect(isAllowedReturnUrl('https://shop.example@evil.test/', ['shop.example'])).toBe(false);
    expect(isAllowedReturnUrl('https://user:pw@shop.example/', ['shop.example'])).toBe(false);
    expect(isAllowedReturnUrl('javascript:alert(1)', ['shop.example'])).toBe(false);
  });

  it('*.domain matches its subdomains only', () => {
    expect(hostMatches('a.example.com', '*.example.com')).toBe(true);
    expect(hostMatches('a.b.example.com', '*.example.com')).toBe(true);
    expect(hostMatches('example.com', '*.example.com')).toBe(false);
    expect(hostMatches('badexample.com', '*.example.com')).toBe(false);
  });

  it('the form-action origin of a return URL', () => {
    expect(returnUrlOrigin(null)).toBeNull();
    expect(returnUrlOrigin('/thanks')).toBeNull();
    expect(returnUrlOrigin('https://shop.example:8443/x?y')).toBe('https://shop.example:8443');
  });
});
