import type { RequestContext } from '../context/request-context';
import { AuthorizationError } from '../errors/domain-errors';
import type { AuthPolicy } from './auth.decorator';

type PrivatePolicy = Exclude<AuthPolicy, { public: true }>;

/** Throws 403 when an authenticated caller may not use a route with this policy. */
export function authorize(ctx: RequestContext, policy: PrivatePolicy): void {
  const { actor } = ctx;
  if (policy.liveUsersOnly && actor.kind !== 'user') {
    throw new AuthorizationError('User and API-key management needs a live-mode user access token; API keys cannot call it');
  }
  if (policy.liveUsersOnly && ctx.mode !== 'live') {
    throw new AuthorizationError('User and API-key management needs a live-mode user access token, not a test-mode one');
  }
  if (actor.kind === 'api_key') {
    if (policy.usersOnly) throw new AuthorizationError('This route needs a user token; API keys cannot call it');
    if (policy.access === 'write' && actor.access === 'read_only') {
      throw new AuthorizationError('This API key is read-only');
    }
    if (!policy.selfService && ctx.scopes) {
      const needed = `${policy.resource}:${policy.access}`;
      const granted = ctx.scopes.includes(needed) || (policy.access === 'read' && ctx.scopes.includes(`${policy.resource}:write`));
      if (!granted) throw new AuthorizationError(`This API key lacks the scope ${needed}`);
    }
    return;
  }
  if (actor.kind === 'oauth_app') {
    // An OAuth app acts within its granted scopes on staff routes; managing people and credentials stays with people.
    if (policy.usersOnly) throw new AuthorizationError('This route needs a user token; OAuth access tokens cannot call it');
    if (!policy.selfService) {
      const needed = `${policy.resource}:${policy.access}`;
      const scopes = ctx.scopes ?? [];
      const granted = scopes.includes(needed) || (policy.access === 'read' && scopes.includes(`${policy.resource}:write`));
      if (!granted) throw new AuthorizationError(`This OAuth access token lacks the scope ${needed}`);
    }
    return;
  }
  if (actor.kind === 'customer_token') {
    // A personal token acts as its customer user, minus managing credentials: only customer routes.
    if (policy.usersOnly) throw new AuthorizationError('This route needs a user token; personal API tokens cannot call it');
    if (!(policy.roles ?? []).includes('customer')) throw new AuthorizationError('Personal API tokens of customers cannot use this route');
    if (policy.access === 'write' && actor.access === 'read_only') throw new AuthorizationError('This personal API token is read-only');
    return;
  }
  if (actor.kind === 'user') {
    const roles = policy.roles ?? [];
    if (!roles.includes(actor.role)) throw new AuthorizationError(`The ${actor.role} role cannot use this route`);
    return;
  }
  throw new AuthorizationError();
}
