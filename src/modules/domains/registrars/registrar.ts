import type { Mode } from '../../../platform/context/request-context';

/** What a registrar says about a name: free to register, or registered by someone. */
export type RegistrarAvailability = { available: true } | { available: false; reason: 'taken' };

/**
 * The registrar adapter: every call the domains module makes to the registry side. Names are
 * ASCII (punycode). Calls may go over the network, so DomainsService makes them outside any
 * database transaction and records the outcome afterwards (DESIGN.md rule 13).
 *
 * The live seam is an EPP (RFC 5730–5733) client; each method maps to one EPP command:
 * - `check`             → `<domain:check>` (`avail="1"`)
 * - `register`          → `<domain:create>` with `<domain:period unit="y">`, `<domain:ns>` and the
 *                         registrant contact created beforehand with `<contact:create>`
 * - `renew`             → `<domain:renew>` with `<domain:curExpDate>` (the registry refuses a
 *                         renew whose current expiry differs: no double renewal on a retry)
 * - `setNameservers`    → `<domain:update>` with `<domain:add>/<domain:rem>` of `<domain:ns>`
 * - `requestTransferOut`→ `<domain:update>` removing `clientTransferProhibited` and setting a fresh
 *                         `<domain:authInfo><domain:pw>`; the code is returned, never stored in clear
 * An EPP adapter keeps one TLS session per registry (login/hello keep-alive) and uses the
 * `clTRID` (client transaction id) derived from the domain id and the operation, so a retried call
 * is recognised by the registry. Select it with DOMAIN_REGISTRAR once written.
 */
export interface Registrar {
  /** Stored on the domain (`registrar`). */
  readonly name: string;
  check(name: string): Promise<RegistrarAvailability>;
  register(name: string, years: number, nameservers: readonly string[]): Promise<void>;
  renew(name: string, years: number, currentExpiry: Date): Promise<void>;
  setNameservers(name: string, nameservers: readonly string[]): Promise<void>;
  /** Unlocks the name for transfer and answers its new auth code. */
  requestTransferOut(name: string): Promise<{ authCode: string }>;
}

/** Chooses the registrar of a mode: test mode always gets the sandbox. */
export interface RegistrarDirectory {
  forMode(mode: Mode): Registrar;
}
