import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { Mode } from '../../platform/context/request-context';

/** Why a webhook URL is refused on its face (no network I/O), or null. */
export function webhookUrlSyntaxProblem(raw: string, mode: Mode, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  if (mode === 'live' && url.protocol !== 'https:' && !allowPrivate) return 'must use https in live mode';
  if (url.username || url.password) return 'must not contain credentials';
  return null;
}

/** Why a webhook URL is refused, or null when it may be called. Resolves the host: call it outside any transaction. */
export async function webhookUrlProblem(raw: string, mode: Mode, allowPrivate: boolean): Promise<string | null> {
  const syntax = webhookUrlSyntaxProblem(raw, mode, allowPrivate);
  if (syntax || allowPrivate) return syntax;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch {
      return `host ${host} does not resolve`;
    }
  }
  const blocked = addresses.find((a) => !isPublicAddress(a));
  return blocked ? `resolves to a private, loopback or link-local address (${blocked})` : null;
}

/** Only globally routable unicast addresses may receive webhooks (no SSRF into our network). */
export function isPublicAddress(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}
