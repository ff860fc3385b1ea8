import type { Mode } from '../../../../platform/context/request-context';

/**
 * What we write into every Stripe object we create, so Stripe's events and searches lead back to
 * our records: one Stripe account serves every tenant, so the tenant and mode travel with the object.
 */
export interface StripeOwnerMetadata {
  cbapi_tenant: string;
  cbapi_mode: Mode;
  [key: string]: string;
}

export const INTENT_KEY = 'cbapi_intent_id';
export const REFUND_KEY = 'cbapi_refund_id';
export const INVOICE_KEY = 'cbapi_invoice_id';
export const CUSTOMER_KEY = 'cbapi_customer_id';

export function ownerMetadata(tenantId: string, mode: Mode, extra: Record<string, string> = {}): StripeOwnerMetadata {
  return { cbapi_tenant: tenantId, cbapi_mode: mode, ...extra };
}

/** The tenant and mode a Stripe object belongs to, or null when we did not create it. */
export function ownerOf(metadata: Record<string, string> | null | undefined): { tenantId: string; mode: Mode } | null {
  const tenantId = metadata?.cbapi_tenant;
  const mode = metadata?.cbapi_mode;
  if (!tenantId || (mode !== 'live' && mode !== 'test')) return null;
  return { tenantId, mode };
}
