import { escapeHtml, htmlPage } from '../../platform/html/html';
import { formatMoney } from '../../platform/money/format-money';

/*
 * The hosted checkout page (`GET /r/{token}` and its form's `POST`), rendered as a pure function of
 * its data. Every tenant-provided text (and the visitor's own input echoed back) goes through
 * `escapeHtml`; the page carries no script, so the form works with CSP `default-src 'none'`.
 */

/** Security headers of the checkout page; the form posts to this page, which redirects to /pay on the same host: 'self' covers both. */
export const CHECKOUT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

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
  return htmlPage(title, STYLE, body);
}

export function renderCheckoutPage(v: CheckoutView): string {
  const title = v.tierName ? `${v.productName} — ${v.tierName}` : v.productName;
  const cycle = v.billingCycle ? ` / ${escapeHtml(v.billingCycle)}` : '';
  const features = v.features.length > 0 ? `<ul>${v.features.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '';
  const body = [
    v.livemode ? '' : '<p class="test">Test mode: no real payment will be taken.</p>',
    `<h1>${escapeHtml(title)}</h1>`,
    v.description ? `<p>${escapeHtml(v.description)}</p>` : '',
    `<p class="price">${escapeHtml(formatMoney(v.price, v.currency))}${cycle}</p>`,
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
