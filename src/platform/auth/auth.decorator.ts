import { SetMetadata } from '@nestjs/common';
import type { Role } from '../context/request-context';

export const AUTH_POLICY = 'cbapi:auth-policy';

/**
 * Who may call a route. `resource` + `access` is checked against API-key scopes
 * (`products:read`, `products:write`; write implies read) and read-only keys; `roles` against
 * user tokens. Customer users are refused unless `roles` names `customer`.
 */
export type AuthPolicy =
  | { public: true }
  | {
      public?: false;
      resource: string;
      access: 'read' | 'write';
      roles?: readonly Role[];
      /** API keys are refused (e.g. managing keys): only people may call. */
      usersOnly?: boolean;
      /**
       * Managing users and keys: only a user access token issued for live mode may call — never an
       * API key (live or test), never a sandbox token, since users and keys span both modes.
       */
      liveUsersOnly?: boolean;
      /** Any authenticated credential may call, whatever its scopes (e.g. "who am I"). */
      selfService?: boolean;
    };

export const STAFF_ROLES: readonly Role[] = ['owner', 'admin', 'staff'];
export const ADMIN_ROLES: readonly Role[] = ['owner', 'admin'];

/** Declares a route's caller policy; the global auth guard enforces it. Every route carries one. */
export function Auth(
  resource: string,
  access: 'read' | 'write',
  options: { roles?: readonly Role[]; usersOnly?: boolean; liveUsersOnly?: boolean; selfService?: boolean } = {},
) {
  return SetMetadata(AUTH_POLICY, { resource, access, ...options, roles: options.roles ?? STAFF_ROLES } satisfies AuthPolicy);
}

/** A route anyone may call (health, login, sign-up, hosted pages). */
export function Public() {
  return SetMetadata(AUTH_POLICY, { public: true } satisfies AuthPolicy);
}
