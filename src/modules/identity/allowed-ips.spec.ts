import { canonicalAllowedIp, ipAllowed, parseAllowedIp } from './allowed-ips';

describe('API key allowed_ips', () => {
  it('matches IPv4 and IPv6 blocks and single addresses', () => {
    expect(ipAllowed('203.0.113.7', ['203.0.113.0/24'])).toBe(true);
    expect(ipAllowed('203.0.114.7', ['203.0.113.0/24'])).toBe(false);
    expect(ipAllowed('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipAllowed('2001:db9::1', ['2001:db8::/32'])).toBe(false);
    expect(ipAllowed('198.51.100.4', ['198.51.100.4'])).toBe(true);
    expect(ipAllowed('::ffff:203.0.113.9', ['203.0.113.0/24'])).toBe(true);
    expect(ipAllowed('203.0.113.9', ['2001:db8::/32'])).toBe(false);
    expect(ipAllowed('not-an-ip', ['0.0.0.0/0'])).toBe(false);
  });

  it('parses entries into canonical ranges and refuses junk', () => {
    expect(canonicalAllowedIp(parseAllowedIp('10.0.0.0/8')!)).toBe('10.0.0.0/8');
    expect(canonicalAllowedIp(parseAllowedIp('2001:0db8::1')!)).toBe('2001:db8::1/128');
    expect(parseAllowedIp('10.0.0.0/33')).toBeNull();
    expect(parseAllowedIp('example.com')).toBeNull();
  });
});
