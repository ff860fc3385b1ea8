/**
 * The hosted checkout page (`GET /r/{token}`), rendered as a pure function of its data. Every
 * tenant-provided text goes through `escapeHtml`; the page carries no script.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/** Minor units as a decimal string with the currency code, in integers (no floats). */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(currency)) return `${amount} ${code}`;
  const negative = amount < 0;
  const abs = BigInt(Math.abs(amount));
  const units = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${cents} ${code}`;
}

export interface CheckoutView {
  kind: 'product' | 'subscription';
  productName: string;
  description: string | null;
  tierName: string | null;
  price: number;
  currency: string;
  billingCycle: string | null;
  features: string[];
  accountRefId: string;
  email: string | null;
  livemode: boolean;
  expiresAt: Date;
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  '.price{font-size:1.6rem;font-weight:600}.test{background:#fff3cd;padding:.4rem .8rem;border-radius:4px}';

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

export function renderCheckoutPage(v: CheckoutView): string {
  const title = v.tierName ? `${v.productName} — ${v.tierName}` : v.productName;
  const cycle = v.billingCycle ? ` / ${escapeHtml(v.billingCycle)}` : '';
  const features = v.features.length > 0 ? `<ul>${v.features.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '';
  const body = [
    v.livemode ? '' : '<p class="test">Test mode: no real payment will be taken.</p>',
    `<h1>${escapeHtml(title)}</h1>`,
    v.description ? `<p>${escapeHtml(v.description)}</p>` : '',
    `<p class="price">${escapeHtml(formatAmount(v.price, v.currency))}${cycle}</p>`,
    features,
    `<p>Account: ${escapeHtml(v.accountRefId)}${v.email ? ` · ${escapeHtml(v.email)}` : ''}</p>`,
    `<p><small>This link expires at ${escapeHtml(v.expiresAt.toISOString())}.</small></p>`,
  ].join('\n');
  return page(`Checkout: ${title}`, body);
}

export function renderLinkNotFound(): string {
  return page('Link not found', '<h1>This checkout link is invalid or has expired</h1><p>Ask the seller for a new link.</p>');
}
