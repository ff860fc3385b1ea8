import { escapeHtml, htmlPage } from '../../platform/html/html';
import { formatMoney } from '../../platform/money/format-money';
import type { Schemas } from '../../platform/openapi/schemas';

export interface InvoicePageView {
  invoice: Schemas['Invoice'];
  /** Where the card form posts (the page's own path). */
  formAction: string;
  /** Test mode shows the sandbox hint and the test cards. */
  testMode: boolean;
  /** False in live mode without a payment processor: the page says online payment is unavailable. */
  canPayOnline: boolean;
  /** Live mode with Stripe: one button that hands the payer to Stripe Checkout; no card fields here. */
  checkout?: boolean;
  /** A message above the form, e.g. the decline. */
  message?: { kind: 'error' | 'info'; text: string };
}

/** Where a live card form hands the payer to Stripe (allowed as a form target only when live payments need it). */
export const STRIPE_FORM_TARGET = 'https://checkout.stripe.com';

/**
 * The hosted page's CSP: nothing loads from anywhere; forms post to this site and may end (after
 * the 303) only at `formTargets` — the invoice's allowed return URL origin, Stripe for live payments.
 */
export function hostedPageCsp(formTargets: readonly (string | null)[] = []): string {
  const targets = [...new Set(formTargets.filter((t): t is string => !!t && /^https?:\/\/[^\s;,']+$/.test(t)))];
  return `default-src 'none'; style-src 'unsafe-inline'; form-action ${["'self'", ...targets].join(' ')}; frame-ancestors 'none'; base-uri 'none'`;
}

/** Security headers of every hosted page (the CSP's form-action is widened per page by hostedPageCsp). */
export const HOSTED_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': hostedPageCsp(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:640px;margin:2rem auto;padding:0 1rem;color:#222}
table{width:100%;border-collapse:collapse;margin:1rem 0}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}
td.num,th.num{text-align:right}.status{display:inline-block;padding:.1rem .5rem;border-radius:4px;background:#eee}
.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}.info{background:#e8f4fd;padding:.6rem;border-radius:4px}
label{display:block;margin:.5rem 0}input{padding:.3rem;font-size:1rem}button{padding:.5rem 1rem;font-size:1rem}`;

function layout(title: string, body: string): string {
  return htmlPage(title, STYLE, body);
}

/** The hosted invoice page. Every value that came from a tenant or customer is escaped. */
export function renderInvoicePage(view: InvoicePageView): string {
  const inv = view.invoice;
  const money = (n: number) => escapeHtml(formatMoney(n, inv.currency));
  const rows = inv.lines
    .map((l) => `<tr><td>${escapeHtml(l.description)}</td><td class="num">${escapeHtml(l.quantity)}</td><td class="num">${money(l.unit_amount)}</td><td class="num">${money(l.amount)}</td></tr>`)
    .join('');
  const message = view.message
    ? `<p class="${view.message.kind === 'error' ? 'error' : 'info'}" role="${view.message.kind === 'error' ? 'alert' : 'status'}" id="message">${escapeHtml(view.message.text)}</p>`
    : '';
  let action: string;
  if (inv.status === 'paid') {
    action = `<p class="info" id="paid">This invoice is paid. Thank you!</p>`;
  } else if (inv.status === 'void') {
    action = `<p class="info" id="void">This invoice was voided and cannot be paid.</p>`;
  } else if (inv.status === 'draft') {
    action = `<p class="info">This invoice is not finalized yet.</p>`;
  } else if (!view.canPayOnline) {
    action = `<p class="info" id="unavailable">Online payment is not available for this invoice. Please contact the sender to pay.</p>`;
  } else if (view.checkout) {
    action = `<form method="post" action="${escapeHtml(view.formAction)}" id="pay-form">
<p class="info">You pay on Stripe's secure payment page; card details never reach this site.</p>
<button type="submit" id="pay">Pay ${money(inv.amount_due)} by card</button>
</form>`;
  } else {
    const hint = view.testMode
      ? `<p class="info">Test mode: use a test card such as 4242 4242 4242 4242 (succeeds) or 4000 0000 0000 0002 (declined). No real money moves.</p>`
      : '';
    action = `${hint}<form method="post" action="${escapeHtml(view.formAction)}" id="pay-form" autocomplete="off">
<label>Card number <input name="number" id="number" inputmode="numeric" required maxlength="23"></label>
<label>Expiry month <input name="exp_month" id="exp_month" inputmode="numeric" required maxlength="2" size="3"></label>
<label>Expiry year <input name="exp_year" id="exp_year" inputmode="numeric" required maxlength="4" size="5"></label>
<label>CVC <input name="cvc" id="cvc" inputmode="numeric" required maxlength="4" size="5"></label>
<button type="submit" id="pay">Pay ${money(inv.amount_due)}</button>
</form>`;
  }
  const due = inv.due_date ? `<p>Due ${escapeHtml(inv.due_date.slice(0, 10))}</p>` : '';
  return layout(
    `Invoice ${inv.number}`,
    `<h1>Invoice <span id="number-label">${escapeHtml(inv.number)}</span></h1>
<p>Status: <span class="status" id="status">${escapeHtml(inv.status)}</span>${view.testMode ? ' <span class="status">test mode</span>' : ''}</p>
${inv.customer_email ? `<p>Billed to ${escapeHtml(inv.customer_email)}</p>` : ''}${due}
<table><thead><tr><th>Description</th><th class="num">Qty</th><th class="num">Unit</th><th class="num">Amount</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th colspan="3">Total</th><th class="num" id="total">${money(inv.total)}</th></tr>
${inv.amount_refunded > 0 ? `<tr><td colspan="3">Refunded</td><td class="num">${money(inv.amount_refunded)}</td></tr>` : ''}
<tr><th colspan="3">Amount due</th><th class="num" id="amount-due">${money(inv.amount_due)}</th></tr></tfoot></table>
${message}${action}`,
  );
}

/** Unknown, malformed or expired link. Says nothing about which. */
export function renderNotFoundPage(): string {
  return layout('Link not found', `<h1>Link not found</h1><p>This payment link is invalid or has expired. Ask the sender for a new one.</p>`);
}

export function renderErrorPage(): string {
  return layout('Something went wrong', `<h1>Something went wrong</h1><p>Please try again later.</p>`);
}

/**
 * Over a limit (429): too many requests to this page or from this address, or too many cards tried
 * on this invoice. Says how long to wait; the number is ours, escaped anyway.
 */
export function renderTooManyRequestsPage(wait: string, reason: 'requests' | 'card_attempts' = 'requests'): string {
  const text = reason === 'card_attempts'
    ? `Too many cards were tried on this invoice. For your security, no further payment can be attempted here for ${escapeHtml(wait)}. If you need to pay sooner, contact the sender.`
    : `This page received too many requests. Please wait ${escapeHtml(wait)} and try again.`;
  return layout('Too many attempts', `<h1>Too many attempts</h1><p class="error" role="alert" id="message">${text}</p>`);
}
