import ipaddr from 'ipaddr.js';

/** One allow-list entry parsed: an address range (a single address is a /32 or /128). */
type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses a CIDR block or a single address, IPv4 or IPv6; null when it is neither. */
export function parseAllowedIp(entry: string): Range | null {
  try {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const address = ipaddr.parse(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** The entry in its canonical form (`10.0.0.0/8`, `2001:db8::/32`), as stored and shown. */
export function canonicalAllowedIp(range: Range): string {
  return `${range[0].toString()}/${range[1]}`;
}

/**
 * Whether `clientIp` lies in one of `allowed`. An IPv4-mapped IPv6 client (`::ffff:192.0.2.1`, as
 * dual-stack sockets report IPv4 peers) is compared as the IPv4 address it carries.
 */
export function ipAllowed(clientIp: string, allowed: readonly string[]): boolean {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(clientIp);
  } catch {
    return false;
  }
  return allowed.some((entry) => {
    const range = parseAllowedIp(entry);
    return range !== null && range[0].kind() === address.kind() && address.match(range);
  });
}
