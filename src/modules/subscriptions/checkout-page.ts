/**
 * The hosted checkout page (`GET /r/{token}` and its form's `POST`), rendered as a pure function of
 * its data. Every tenant-provided text (and the visitor's own input echoed back) goes through
 * `escapeHtml`; the page carries no script, so the form works with CSP `default-src 'none'`.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Security headers of the checkout page; the form posts to this page, which redirects to /pay on the same host: 'self' covers both. */
export const CHECKOUT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

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
  /** Where the form posts: the page's own path. */
  formAction: string;
  /** What the visitor typed into the e-mail field, refilled after a validation error. */
  emailValue?: string;
  /** Shown above the form, e.g. why the POST was refused. */
  message?: string;
  /** False when the offer cannot be bought now (409/422): the message, and no form to post again. */
  canCheckout?: boolean;
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  '.price{font-size:1.6rem;font-weight:600}.test{background:#fff3cd;padding:.4rem .8rem;border-radius:4px}' +
  '.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}label{display:block;margin:.5rem 0}' +
  'input{padding:.3rem;font-size:1rem}button{padding:.5rem 1rem;font-size:1rem}';

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
    v.message ? `<p class="error" role="alert" id="message">${escapeHtml(v.message)}</p>` : '',
    v.canCheckout === false ? '' : checkoutForm(v),
    `<p><small>This link expires at ${escapeHtml(v.expiresAt.toISOString())}.</small></p>`,
  ].join('\n');
  return page(`Checkout: ${title}`, body);
}

/**
 * The form posts to the page itself; the link already says what is bought and for which account,
 * so the only field is the e-mail, and only when the link carries none.
 */
function checkoutForm(v: CheckoutView): string {
  const email = v.email
    ? ''
    : `<label>E-mail <input type="email" name="email" id="email" required maxlength="254" autocomplete="email" value="${escapeHtml(v.emailValue ?? '')}"></label>`;
  const label = v.kind === 'subscription' ? 'Subscribe' : 'Continue to payment';
  return `<form method="post" action="${escapeHtml(v.formAction)}" id="checkout-form">${email}<button type="submit" id="checkout">${label}</button></form>`;
}

/** After a free (zero-price) subscription was started: nothing to pay, the service is already active. */
export function renderSubscribed(v: { productName: string; tierName: string | null; accountRefId: string }): string {
  const title = v.tierName ? `${v.productName} — ${v.tierName}` : v.productName;
  return page(`Subscribed: ${title}`, `<h1 id="subscribed">You are subscribed to ${escapeHtml(title)}</h1>` +
    `<p>Account: ${escapeHtml(v.accountRefId)}. There is nothing to pay.</p>`);
}

export function renderCheckoutFailed(): string {
  return page('Something went wrong', '<h1>Something went wrong</h1><p>Nothing was charged. Please try again later.</p>');
}

export function renderLinkNotFound(): string {
  return page('Link not found', '<h1>This checkout link is invalid or has expired</h1><p>Ask the seller for a new link.</p>');
}

/** Over a limit (429): too many requests to this link or from this address. */
export function renderCheckoutTooManyRequests(wait: string): string {
  return page('Too many requests', `<h1>Too many requests</h1><p class="error" role="alert" id="message">This page received too many requests. Please wait ${escapeHtml(wait)} and try again.</p>`);
}
