import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ClockModule } from '../../platform/clock/clock.module';
import { PortsModule } from '../../platform/ports/ports.module';
import { RateLimitModule } from '../../platform/rate-limit/rate-limit.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CredentialCache } from './credential-cache';
import { IdentityRepository } from './identity.repository';
import { LoginThrottleService } from './login-throttle.service';
import { PersonalTokensController } from './personal-tokens.controller';
import { PersonalTokensService } from './personal-tokens.service';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';
import { TenantContactsService } from './tenant-contacts.service';
import { TenantsService } from './tenants.service';
import { TenantVerificationController } from './tenant-verification.controller';
import { TenantVerificationService } from './tenant-verification.service';
import { TokensService } from './tokens.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { RefreshTokensRetention } from './refresh-tokens.retention';
import { RefreshSuccessorCipher } from './refresh-successor-cipher';
import { RefreshTransport } from './refresh-transport';

@Module({
  imports: [
    RateLimitModule,
    ClockModule,
    PortsModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.JWT_SECRET,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController, PersonalTokensController, TenantVerificationController, PlansController],
  providers: [IdentityRepository, TokensService, AuthService, CredentialCache, LoginThrottleService, TenantsService, UsersService, ApiKeysService, AuthGuard, TenantContactsService, RefreshTokensRetention, RefreshSuccessorCipher, RefreshTransport, PersonalTokensService, TenantVerificationService, PlansService],
  exports: [AuthGuard, AuthService, TenantsService, ApiKeysService, TenantContactsService, TenantVerificationService],
})
export class IdentityModule {}
