import { Inject, Injectable } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RequestContext } from '../../platform/context/request-context';
import { AuthenticationError } from '../../platform/errors/domain-errors';
import type { HostedAnswer } from '../../platform/hosted-page/hosted-page';
import { REDIS } from '../../platform/redis/redis.module';
import { AuthService } from '../identity/auth.service';
import { renderConsentErrorPage, renderConsentPage, renderLoginPage, type AuthorizeParams, type ConsentView } from './consent.page';
import {
  CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_SECONDS, cookieHeader, csrfTokenFor, csrfTokenValid, newCookieValue, sessionKey, type ConsentSession,
} from './consent-session';
import type { ModelClient, ModelUser } from './oauth-model';
import { OAuthProtocolService } from './oauth-protocol.service';

/** What the consent controller sends: a page or a redirect, and the cookies to set. */
export interface ConsentAnswer {
  answer: HostedAnswer;
  cookies: string[];
}

export interface ConsentRequest {
  requestId: string;
  params: Record<string, string>;
  cookies: Record<string, string>;
  ip: string;
  secure: boolean;
}

const PARAM_NAMES = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;
const PKCE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * The authorization endpoint behind the consent page. The library issues the code (client, redirect
 * URI, scope and PKCE checks, error redirects); this adds what a page needs: the checks before
 * showing anything (an unknown client or redirect URI gets a page, never a redirect; PKCE S256 is
 * required), the sign-in of the tenant user, the CSRF token, and who may consent (owners, admins).
 */
@Injectable()
export class OAuthConsentService {
  constructor(
    private readonly protocol: OAuthProtocolService,
    private readonly auth: AuthService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async show(req: ConsentRequest): Promise<ConsentAnswer> {
    const cookies: string[] = [];
    let csrf = req.cookies[CSRF_COOKIE];
    if (!csrf) {
      csrf = newCookieValue();
      cookies.push(cookieHeader(CSRF_COOKIE, csrf, req.secure, SESSION_TTL_SECONDS));
    }
    const checked = await this.check(req);
    if ('answer' in checked) return { answer: checked.answer, cookies };
    const view = this.view(checked.client, checked.scopes, checked.params, csrf);
    const session = await this.session(req.cookies[SESSION_COOKIE]);
    if (!session) return { answer: { status: 200, html: renderLoginPage(view) }, cookies };
    return { answer: await this.consentOrRefusal(req, view, session), cookies };
  }

  async decide(req: ConsentRequest): Promise<ConsentAnswer> {
    const csrf = req.cookies[CSRF_COOKIE];
    if (!csrfTokenValid(this.config.HASH_SECRET, csrf, req.params.csrf_token)) {
      return { answer: { status: 403, html: renderConsentErrorPage('Request refused', 'This form has expired or did not come from this page. Go back to the app and start again.') }, cookies: [] };
    }
    const checked = await this.check(req);
    if ('answer' in checked) return { answer: checked.answer, cookies: [] };
    const view = this.view(checked.client, checked.scopes, checked.params, csrf!);
    const action = req.params.action;
    if (action === 'login') return this.login(req, view);
    const session = await this.session(req.cookies[SESSION_COOKIE]);
    if (!session) return { answer: { status: 200, html: renderLoginPage(view, 'Please sign in again.') }, cookies: [] };
    if (action !== 'allow' && action !== 'deny') return { answer: { status: 200, html: await this.pageFor(req, view, session) }, cookies: [] };
    const role = await this.auth.currentRole(this.ctx(req, session), session.userId);
    if (role !== 'owner' && role !== 'admin') return { answer: refusedRole(), cookies: [] };
    return { answer: await this.issue(req, checked.params, session, action === 'allow'), cookies: [] };
  }

  private async login(req: ConsentRequest, view: ConsentView): Promise<ConsentAnswer> {
    let user;
    try {
      user = await this.auth.verifyCredentials(RequestContext.anonymous(req.requestId), {
        email: req.params.email ?? '', password: req.params.password ?? '', tenant_id: req.params.tenant_id || undefined,
      }, req.ip);
    } catch (err) {
      if (err instanceof AuthenticationError) return { answer: { status: 401, html: renderLoginPage(view, err.message) }, cookies: [] };
      throw err;
    }
    const id = newCookieValue();
    const session: ConsentSession = { tenantId: user.tenantId, userId: user.userId, email: user.email };
    await this.redis.set(sessionKey(id), JSON.stringify(session), 'EX', SESSION_TTL_SECONDS);
    return { answer: await this.consentOrRefusal(req, view, session), cookies: [cookieHeader(SESSION_COOKIE, id, req.secure, SESSION_TTL_SECONDS)] };
  }

  private async consentOrRefusal(req: ConsentRequest, view: ConsentView, session: ConsentSession): Promise<HostedAnswer> {
    const role = await this.auth.currentRole(this.ctx(req, session), session.userId);
    if (role !== 'owner' && role !== 'admin') return refusedRole();
    return { status: 200, html: renderConsentPage({ ...view, userEmail: session.email }) };
  }

  private async pageFor(req: ConsentRequest, view: ConsentView, session: ConsentSession): Promise<string> {
    const answer = await this.consentOrRefusal(req, view, session);
    return 'html' in answer ? answer.html : '';
  }

  /** The library issues the code (or the access_denied redirect) and builds the redirect with `state`. */
  private async issue(req: ConsentRequest, params: AuthorizeParams, session: ConsentSession, allowed: boolean): Promise<HostedAnswer> {
    const base = RequestContext.anonymous(req.requestId);
    const user: ModelUser = { tenantId: session.tenantId, userId: session.userId, grantId: null };
    const body: Record<string, string> = { ...params };
    if (!params.scope) delete body.scope;
    if (!params.state) delete body.state;
    if (!allowed) body.allowed = 'false';
    const request = new OAuth2Server.Request({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, query: {}, body });
    const response = new OAuth2Server.Response({ headers: {} });
    try {
      await this.protocol.server(base).authorize(request, response, { authenticateHandler: { handle: async () => user } } as OAuth2Server.AuthorizeOptions);
    } catch (err) {
      if (!(err instanceof OAuth2Server.OAuthError) || !response.get('location')) throw err;
    }
    return { status: 303, location: response.get('location') };
  }

  /**
   * Before anything is shown: the client and its exact redirect URI (else a page, no redirect —
   * RFC 6749 §4.1.2.1), then the rest, whose errors go back to the client with `state`.
   */
  private async check(req: ConsentRequest): Promise<{ client: ModelClient; scopes: string[]; params: AuthorizeParams } | { answer: HostedAnswer }> {
    const params = Object.fromEntries(PARAM_NAMES.map((k) => [k, typeof req.params[k] === 'string' ? req.params[k] : ''])) as AuthorizeParams;
    const base = RequestContext.anonymous(req.requestId);
    const model = this.protocol.model(base);
    const client = params.client_id ? await model.getClient(params.client_id, null) : null;
    if (!client) return { answer: { status: 400, html: renderConsentErrorPage('Unknown application', 'The link you followed names an application that does not exist or was removed.') } };
    if (!params.redirect_uri || !(await model.validateRedirectUri(params.redirect_uri, client))) {
      return { answer: { status: 400, html: renderConsentErrorPage('Invalid redirect', 'The application asked to return to an address it has not registered.') } };
    }
    const back = (error: string, description: string): { answer: HostedAnswer } => {
      const url = new URL(params.redirect_uri);
      url.searchParams.set('error', error);
      url.searchParams.set('error_description', description);
      if (params.state) url.searchParams.set('state', params.state);
      return { answer: { status: 303, location: url.toString() } };
    };
    if (params.response_type !== 'code') return back('unsupported_response_type', 'Only response_type=code is supported');
    if (!PKCE_CHALLENGE.test(params.code_challenge)) return back('invalid_request', 'PKCE is required: code_challenge (43-128 characters) with code_challenge_method=S256');
    if (params.code_challenge_method && params.code_challenge_method !== 'S256') return back('invalid_request', 'Only code_challenge_method=S256 is supported');
    params.code_challenge_method = 'S256';
    const requested = params.scope.split(' ').filter(Boolean);
    const scopes = await model.validateScope({ tenantId: '', userId: null, grantId: null }, client, requested);
    if (!scopes) return back('invalid_scope', 'A requested scope is unknown or not registered for this application');
    return { client, scopes, params };
  }

  private view(client: ModelClient, scopes: string[], params: AuthorizeParams, csrf: string): ConsentView {
    return { clientName: client.name, scopes, testMode: client.mode === 'test', params, csrfToken: csrfTokenFor(this.config.HASH_SECRET, csrf), formAction: '/oauth/authorize' };
  }

  private async session(cookie: string | undefined): Promise<ConsentSession | null> {
    if (!cookie) return null;
    const raw = await this.redis.get(sessionKey(cookie));
    return raw ? (JSON.parse(raw) as ConsentSession) : null;
  }

  private ctx(req: ConsentRequest, session: ConsentSession): RequestContext {
    return RequestContext.anonymous(req.requestId).with({ tenantId: session.tenantId });
  }
}

function refusedRole(): HostedAnswer {
  return { status: 403, html: renderConsentErrorPage('Not allowed', 'Only an owner or admin of the shop can authorize apps. Sign in with such an account.') };
}
