import { normalizeHostName, normalizeTld, parseDomainName } from './domain-name';

const TLDS = new Set(['com', 'uk', 'co.uk', 'xn--p1ai', 'de']);

describe('parseDomainName', () => {
  it('converts an IDN to punycode and back, lower-casing it', () => {
    expect(parseDomainName('Bücher.COM', TLDS)).toEqual({ valid: true, name: { ascii: 'xn--bcher-kva.com', unicode: 'bücher.com', tld: 'com' } });
    expect(parseDomainName('xn--bcher-kva.com', TLDS)).toEqual({ valid: true, name: { ascii: 'xn--bcher-kva.com', unicode: 'bücher.com', tld: 'com' } });
    expect(parseDomainName('пример.рф', TLDS)).toMatchObject({ valid: true, name: { ascii: 'xn--e1afmkfd.xn--p1ai', tld: 'xn--p1ai' } });
  });

  it('takes the longest TLD of the table and allows one trailing dot', () => {
    expect(parseDomainName('shop.co.uk.', TLDS)).toMatchObject({ valid: true, name: { ascii: 'shop.co.uk', tld: 'co.uk' } });
    expect(parseDomainName('shop.uk', TLDS)).toMatchObject({ valid: true, name: { tld: 'uk' } });
  });

  it.each([
    ['', 'the name is empty'],
    ['-shop.com', 'may not start or end with a hyphen'],
    ['shop-.com', 'may not start or end with a hyphen'],
    ['ab--cd.com', 'reserved for xn-- labels'],
    ['sh_op.com', 'only letters, digits and hyphens'],
    ['a..com', 'empty label'],
    ['com', 'needs a label and a TLD'],
    [`${'a'.repeat(64)}.com`, 'at most 63'],
    [`${'a.'.repeat(127)}com`, 'at most 253'],
    ['xn--zz.com', 'not valid punycode'],
    ['😀.com', 'characters registries refuse'],
  ])('refuses %j (%s)', (input, problem) => {
    const verdict = parseDomainName(input, TLDS);
    expect(verdict.valid).toBe(false);
    expect(verdict.valid ? [] : verdict.errors.join(' | ')).toContain(problem);
  });

  it('lists each problem once, at most 10, with long labels cut', () => {
    const verdict = parseDomainName(`${'x_y.'.repeat(50)}com`, TLDS);
    expect(verdict.valid ? [] : verdict.errors).toEqual(['label "x_y" may contain only letters, digits and hyphens']);
    expect(parseDomainName(`${'例'.repeat(600)}.com`, TLDS)).toMatchObject({ valid: false, name: null });
    const long = parseDomainName(`${'é_'.repeat(300)}.com`, TLDS);
    expect(long.valid ? [] : long.errors.every((e) => e.length < 200)).toBe(true);
    const many = parseDomainName(Array.from({ length: 30 }, (_, i) => `-l${i}`).join('.') + '.com', TLDS);
    expect(many.valid ? [] : many.errors).toHaveLength(10);
  });

  it('tells an unsupported TLD and a subdomain apart from bad syntax', () => {
    expect(parseDomainName('shop.example', TLDS)).toMatchObject({ valid: false, unsupportedTld: true });
    expect(parseDomainName('www.shop.com', TLDS)).toMatchObject({ valid: false, errors: ['register one label directly under .com (not a subdomain)'] });
  });
});

describe('normalizeTld and normalizeHostName', () => {
  it('normalizes TLDs and refuses malformed or numeric ones', () => {
    expect(normalizeTld('.COM')).toBe('com');
    expect(normalizeTld('рф')).toBe('xn--p1ai');
    expect(normalizeTld('co.uk')).toBe('co.uk');
    expect(normalizeTld('-x')).toBeNull();
    expect(normalizeTld('123')).toBeNull();
  });

  it('takes host names of two or more labels', () => {
    expect(normalizeHostName('NS1.Example.net.')).toBe('ns1.example.net');
    expect(normalizeHostName('localhost')).toBeNull();
    expect(normalizeHostName('ns_1.example.net')).toBeNull();
  });
});
