/**
 * The scopes an OAuth client may be given: the API-key scope vocabulary (`<resource>:read|write`,
 * write implies read) over the resources a staff credential reaches. Managing users, API keys and
 * OAuth clients is never delegated.
 */
export const OAUTH_RESOURCES = [
  'customers', 'events', 'inventory', 'invoices', 'orders', 'payments', 'products', 'services', 'tickets', 'transactions', 'webhooks',
] as const;

export const OAUTH_SCOPES: readonly string[] = OAUTH_RESOURCES.flatMap((r) => [`${r}:read`, `${r}:write`]);

export function isKnownScope(scope: string): boolean {
  return OAUTH_SCOPES.includes(scope);
}

/** Whether `allowed` covers `scope` (a write scope covers its read). */
export function scopeAllowed(allowed: readonly string[], scope: string): boolean {
  if (allowed.includes(scope)) return true;
  const [resource, access] = scope.split(':');
  return access === 'read' && allowed.includes(`${resource}:write`);
}

/** What a consent page says each scope lets the app do. */
export function describeScope(scope: string): string {
  const [resource, access] = scope.split(':');
  return access === 'write' ? `Read and change your ${resource}` : `Read your ${resource}`;
}
