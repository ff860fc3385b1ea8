import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import type { RequestContext } from '../../../platform/context/request-context';
import { ValidationError } from '../../../platform/errors/domain-errors';
import type { PaymentProvider } from './payment-provider';
import { TestPaymentProvider } from './test-payment-provider';

export const LIVE_PROVIDER_NOT_CONFIGURED = 'payment provider not configured for live mode';

/**
 * Picks the provider for a request: the sandbox in test mode; in live mode the adapter named by
 * `PAYMENT_PROVIDER`. With none configured, live money movements answer 422 — never a fake success.
 */
@Injectable()
export class PaymentProviders {
  private readonly live = new Map<string, PaymentProvider>();

  constructor(
    private readonly sandbox: TestPaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** For a live adapter's module: makes it selectable by its name. */
  registerLive(provider: PaymentProvider): void {
    this.live.set(provider.name, provider);
  }

  isSandbox(ctx: RequestContext): boolean {
    return ctx.mode === 'test';
  }

  for(ctx: RequestContext): PaymentProvider {
    if (ctx.mode === 'test') return this.sandbox;
    const name = this.config.PAYMENT_PROVIDER;
    const provider = name === 'none' ? undefined : this.live.get(name);
    if (!provider) {
      throw new ValidationError(`${LIVE_PROVIDER_NOT_CONFIGURED}: live payments need a processor adapter (PAYMENT_PROVIDER); use a test-mode key for the sandbox`, [
        { field: 'payment_method', message: LIVE_PROVIDER_NOT_CONFIGURED },
      ]);
    }
    return provider;
  }
}
