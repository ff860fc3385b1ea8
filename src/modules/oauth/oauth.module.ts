import { Module } from '@nestjs/common';
import { RateLimitModule } from '../../platform/rate-limit/rate-limit.module';
import { IdentityModule } from '../identity/identity.module';
import { OAUTH_ACCESS_TOKENS } from '../identity/oauth-access-tokens.port';
import { OAuthClientsController } from './oauth-clients.controller';
import { OAuthClientsService } from './oauth-clients.service';
import { OAuthConsentController } from './oauth-consent.controller';
import { OAuthConsentService } from './oauth-consent.service';
import { OAuthCorsService } from './oauth-cors.service';
import { OAuthProtocolController } from './oauth-protocol.controller';
import { OAuthProtocolService } from './oauth-protocol.service';
import { OAuthRepository } from './oauth.repository';
import { OAuthCodesRetention, OAuthGrantsRetention, OAuthTokensRetention } from './oauth.retention';

/**
 * OAuth 2.0 (RFC 6749 with PKCE, 7009, 7662, 8414) on @node-oauth/oauth2-server. Binds identity's
 * OAUTH_ACCESS_TOKENS port, so the one auth guard accepts OAuth access tokens beside JWTs and API keys.
 */
@Module({
  imports: [IdentityModule, RateLimitModule],
  controllers: [OAuthClientsController, OAuthProtocolController, OAuthConsentController],
  providers: [
    OAuthRepository,
    OAuthProtocolService,
    OAuthClientsService,
    OAuthConsentService,
    OAuthCorsService,
    OAuthCodesRetention,
    OAuthTokensRetention,
    OAuthGrantsRetention,
    { provide: OAUTH_ACCESS_TOKENS, useExisting: OAuthProtocolService },
  ],
  exports: [OAuthCorsService],
})
export class OAuthModule {}
