/**
 * The only reasons a query may see more than one tenant's rows. Row-level security hides every
 * row whose tenant (and mode) differs from the transaction's `app.tenant_id` / `app.mode`; a path
 * below opens a window with `TransactionService.acrossTenants(reason, …)` (or
 * `managerAcrossTenants(reason)` outside a transaction), which sets `app.cross_tenant` to the
 * reason for that window only. Adding a reason means adding a path here and saying why it must
 * cross; everything else is scoped by its `ctx`.
 *
 * | reason | path | why it must cross tenants |
 * |---|---|---|
 * | `login_by_email` | IdentityRepository.findUsersByEmail (POST /auth/login) | the caller is anonymous: the e-mail (optionally with tenant_id) is what names the tenant |
 * | `api_key_lookup` | IdentityRepository.findActiveApiKeyByLookup (auth guard) | the key's lookup prefix is what names the tenant and mode of the request |
 * | `refresh_token_lookup` | IdentityRepository.findRefreshTokenForUpdate (POST /auth/refresh) | the refresh token is the only credential; its row names tenant and mode |
 * | `oauth_client_lookup` | OAuthRepository.findClient (GET/POST /oauth/authorize, POST /oauth/token, /oauth/revoke, /oauth/introspect) | the protocol names only the client_id; the app may act for tenants other than the one that registered it |
 * | `oauth_token_lookup` | OAuthRepository (codes, access and refresh tokens by hash; auth guard and token endpoint) | the token is the only credential; its row names tenant and mode |
 * | `oauth_client_deletion` | OAuthRepository.deleteClient (DELETE /oauth/clients/{id}) | an app acts for every tenant that authorized it: deleting it ends their grants (they leave those tenants' authorized apps) and its live tokens, by client id |
 * | `oauth_cors_preflight` | OAuthRepository.isCorsOriginOfAnyClient (OPTIONS /oauth/token, /oauth/revoke) | a browser's preflight names only its origin, no client: it is answered when any active public client registered that origin |
 * | `tenant_verification_token` | IdentityRepository.verifyTenantByTokenHash (GET /tenants/verify-email) | the visitor knows nothing but the link's token |
 * | `hosted_invoice_token` | InvoicesRepository.findLiveTokenByHash (GET/POST /pay/{token}) | the public page knows nothing but the token |
 * | `checkout_link_token` | ServicesRepository.findLinkByHash (GET/POST /r/{token}) | the public page knows nothing but the token |
 * | `outbox_relay` | OutboxRelayService (claim events, fan out deliveries, overdue deliveries) | one relay serves every tenant's outbox; each row carries its own tenant and mode |
 * | `webhook_delivery` | WebhookDeliveryProcessor (claim/record/finish an attempt by delivery id) | a job carries only the delivery id; the claimed row names its tenant |
 * | `renewal_sweep` | ServicesRepository.dueForRenewal / pendingCharges / dueForRetry / dueForSuspension | the renewal and dunning scans find due services of every tenant (keys only); each is then handled with its own tenant's ctx |
 * | `domain_renewal_sweep` | DomainsRepository.dueForNotice / dueForPaidRenewal / dueForExpiry | the domain renewal job finds domains near or past expiry in every tenant (keys only); each is then handled with its own tenant's ctx |
 * | `mail_requeue_sweep` | NotificationsRepository.findStaleQueued | the maintenance scan finds lost mail jobs of every tenant (keys only) |
 * | `idempotency_purge` | IdempotencyRepository.purgeExpiredBatch | deletes expired keys of every tenant (maintenance) |
 * | `payment_reconciliation` | PaymentsRepository.stuckIntents / stuckRefunds, ServicesRepository.stuckCharges | finds money left halfway by a crash in every tenant (keys only); each is then settled with its own tenant's ctx |
 * | `retention` | the `*.retention.ts` policies (daily purge job) | deletes or anonymizes what is past its retention in every tenant, in batches |
 * | `demo_seed` | seedDemo (`npm start` only) | looks for the demo login in any tenant so a restart does not create a second demo tenant |
 *
 * Not crossings, though they start without a tenant: sign-up and CLI tenant creation
 * (TenantsService) create the tenant row (`tenants` has no tenant_id and no policy) and then
 * switch the same transaction to the new tenant's scope through `ctx.with({ tenantId })`.
 */
export type CrossTenantReason =
  | 'login_by_email'
  | 'api_key_lookup'
  | 'refresh_token_lookup'
  | 'oauth_client_lookup'
  | 'oauth_token_lookup'
  | 'oauth_client_deletion'
  | 'oauth_cors_preflight'
  | 'tenant_verification_token'
  | 'hosted_invoice_token'
  | 'checkout_link_token'
  | 'outbox_relay'
  | 'webhook_delivery'
  | 'renewal_sweep'
  | 'domain_renewal_sweep'
  | 'mail_requeue_sweep'
  | 'idempotency_purge'
  | 'payment_reconciliation'
  | 'retention'
  | 'demo_seed';
