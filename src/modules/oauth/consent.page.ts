import { escapeHtml, htmlPage } from '../../platform/html/html';
import { describeScope } from './oauth-scopes';

/** Security headers of the consent page: nothing loads from elsewhere; the forms post here and may redirect to the client. */
export const CONSENT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:520px;margin:2rem auto;padding:0 1rem;color:#222}
ul{padding-left:1.2rem}li{margin:.3rem 0}.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}
.info{background:#e8f4fd;padding:.6rem;border-radius:4px}label{display:block;margin:.6rem 0}input{padding:.3rem;font-size:1rem;width:100%}
button{padding:.5rem 1rem;font-size:1rem;margin-right:.5rem}`;

/** The authorization request's parameters, carried through the forms as hidden fields. */
export type AuthorizeParams = Record<'response_type' | 'client_id' | 'redirect_uri' | 'scope' | 'state' | 'code_challenge' | 'code_challenge_method', string>;

export interface ConsentView {
  clientName: string;
  scopes: string[];
  testMode: boolean;
  params: AuthorizeParams;
  csrfToken: string;
  formAction: string;
}

function hidden(params: AuthorizeParams, csrfToken: string): string {
  const fields = Object.entries(params).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`);
  return [...fields, `<input type="hidden" name="csrf_token" value="${escapeHtml(csrfToken)}">`].join('');
}

function sandboxNote(testMode: boolean): string {
  return testMode ? '<p class="info">Test mode: this app gets access to your sandbox data only.</p>' : '';
}

/** Sign-in first: only a user of the shop (owner or admin) can let an app in. */
export function renderLoginPage(view: ConsentView, error?: string): string {
  const body = `<h1>Sign in to authorize ${escapeHtml(view.clientName)}</h1>${sandboxNote(view.testMode)}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(view.formAction)}">${hidden(view.params, view.csrfToken)}
<label>E-mail <input id="email" name="email" type="email" autocomplete="username" required></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
<label>Tenant id (only when your e-mail is used in several shops) <input id="tenant_id" name="tenant_id" type="text"></label>
<button id="login" type="submit" name="action" value="login">Sign in</button></form>`;
  return htmlPage(`Sign in — ${view.clientName}`, STYLE, body);
}

/** The consent: who asks, for what, with Allow and Deny. */
export function renderConsentPage(view: ConsentView & { userEmail: string }): string {
  const scopes = view.scopes.map((s) => `<li><code>${escapeHtml(s)}</code> — ${escapeHtml(describeScope(s))}</li>`).join('');
  const body = `<h1>${escapeHtml(view.clientName)} wants to access your shop</h1>${sandboxNote(view.testMode)}
<p>Signed in as ${escapeHtml(view.userEmail)}. The app will be able to:</p><ul id="scopes">${scopes}</ul>
<p>You can remove its access at any time.</p>
<form method="post" action="${escapeHtml(view.formAction)}">${hidden(view.params, view.csrfToken)}
<button id="allow" type="submit" name="action" value="allow">Allow</button>
<button id="deny" type="submit" name="action" value="deny">Deny</button></form>`;
  return htmlPage(`Authorize ${view.clientName}`, STYLE, body);
}

/** A request we cannot send back to the client (unknown client, unregistered redirect URI), or a refusal. */
export function renderConsentErrorPage(title: string, message: string): string {
  return htmlPage(title, STYLE, `<h1>${escapeHtml(title)}</h1><p class="error">${escapeHtml(message)}</p>`);
}
