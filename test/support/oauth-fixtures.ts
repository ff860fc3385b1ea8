import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './app';
import { assertMatchesSpec } from './openapi-validator';

export interface OAuthClientFixture {
  id: string;
  secret: string | null;
  redirectUri: string;
}

/** Registers an OAuth client through the API (owner's live token). */
export async function createOAuthClient(
  t: TestApp,
  ownerToken: string,
  body: { name?: string; mode?: 'live' | 'test'; client_type?: 'confidential' | 'public'; scopes?: string[]; redirect_uris?: string[] } = {},
): Promise<OAuthClientFixture> {
  const redirectUris = body.redirect_uris ?? ['https://app.example.test/callback'];
  const res = await t.http.post('/api/v1/oauth/clients', { name: 'Test app', scopes: ['products:read'], ...body, redirect_uris: redirectUris }, { token: ownerToken });
  if (res.status !== 201) throw new Error(`oauth client failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, secret: res.body.data.client_secret, redirectUri: redirectUris[0] };
}

/** A form post to an OAuth endpoint, checked against the spec like every other response. */
export async function oauthForm(t: TestApp, path: string, fields: Record<string, string | undefined>, basic?: { id: string; secret: string }) {
  const form = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
  let req = request(t.app.getHttpServer()).post(path).type('form');
  if (basic) req = req.auth(encodeURIComponent(basic.id), encodeURIComponent(basic.secret));
  const res = await req.send(form);
  assertMatchesSpec('POST', path, res);
  return res;
}

/** client_credentials with the client's secret in HTTP Basic. */
export function clientCredentials(t: TestApp, client: OAuthClientFixture, scope?: string) {
  return oauthForm(t, '/oauth/token', { grant_type: 'client_credentials', scope }, { id: client.id, secret: client.secret! });
}

/** A PKCE pair (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  client: OAuthClientFixture;
  challenge: string;
  scope?: string;
  state?: string;
  redirectUri?: string;
}

export function authorizeQuery(p: AuthorizeParams): Record<string, string> {
  const q: Record<string, string> = {
    response_type: 'code', client_id: p.client.id, redirect_uri: p.redirectUri ?? p.client.redirectUri, code_challenge: p.challenge, code_challenge_method: 'S256',
  };
  if (p.scope) q.scope = p.scope;
  if (p.state) q.state = p.state;
  return q;
}

/** The form fields a consent page carries (hidden inputs), read from its HTML. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`');
  }
  return fields;
}

/**
 * The consent flow without a browser (for the protocol's error cases): the page, sign-in, Allow; the
 * cookies are carried by hand. Returns the redirect the user agent would follow.
 */
export async function authorizeWithoutBrowser(t: TestApp, user: { email: string; password: string }, p: AuthorizeParams): Promise<URL> {
  const server = t.app.getHttpServer();
  const query = new URLSearchParams(authorizeQuery(p)).toString();
  const page = await request(server).get(`/oauth/authorize?${query}`);
  assertMatchesSpec('GET', `/oauth/authorize?${query}`, page);
  if (page.status === 303) return new URL(page.headers.location);
  if (page.status !== 200) throw new Error(`authorize page: ${page.status}`);
  const cookies = new Map<string, string>();
  const keep = (res: request.Response) => {
    for (const c of [res.headers['set-cookie'] ?? []].flat()) cookies.set(c.split('=')[0], c.split(';')[0]);
  };
  keep(page);
  const post = async (fields: Record<string, string>) => {
    const res = await request(server).post('/oauth/authorize').set('Cookie', [...cookies.values()].join('; ')).type('form').send(fields);
    assertMatchesSpec('POST', '/oauth/authorize', res);
    keep(res);
    return res;
  };
  const login = await post({ ...hiddenFields(page.text), action: 'login', email: user.email, password: user.password });
  if (login.status !== 200) throw new Error(`consent sign-in: ${login.status}`);
  const allow = await post({ ...hiddenFields(login.text), action: 'allow' });
  if (allow.status !== 303) throw new Error(`consent allow: ${allow.status} ${allow.text}`);
  return new URL(allow.headers.location);
}

/** Exchanges a code (public client: client_id alone; confidential: Basic). */
export function exchangeCode(t: TestApp, client: OAuthClientFixture, code: string, verifier: string, redirectUri = client.redirectUri) {
  const fields = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: client.secret ? undefined : client.id };
  return oauthForm(t, '/oauth/token', fields, client.secret ? { id: client.id, secret: client.secret } : undefined);
}
