import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import type { RequestContext } from '../../../platform/context/request-context';
import { PaymentProviderUnavailableError } from '../payments.errors';
import { PortBindings } from '../../../platform/ports/port-bindings';
import { LIVE_PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider.port';
import { TestPaymentProvider } from './test-payment-provider';

/**
 * Picks the provider for a request: the sandbox in test mode; in live mode the adapter named by
 * `PAYMENT_PROVIDER`. With none configured, live money movements answer 422 — never a fake success.
 */
@Injectable()
export class PaymentProviders {
  constructor(
    private readonly sandbox: TestPaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bindings: PortBindings,
  ) {}

  isSandbox(ctx: RequestContext): boolean {
    return ctx.mode === 'test';
  }

  /** Whether money can move online in ctx's mode: always in test mode, in live mode only with a configured processor. */
  isAvailable(ctx: RequestContext): boolean {
    return ctx.mode === 'test' || this.live() !== undefined;
  }

  /** The provider for ctx's mode; PaymentProviderUnavailableError (422) in live mode without one. */
  for(ctx: RequestContext): PaymentProvider {
    if (ctx.mode === 'test') return this.sandbox;
    const provider = this.live();
    if (!provider) throw new PaymentProviderUnavailableError();
    return provider;
  }

  /** The live adapter named by `PAYMENT_PROVIDER` among those bound to LIVE_PAYMENT_PROVIDER. */
  private live(): PaymentProvider | undefined {
    const name = this.config.PAYMENT_PROVIDER;
    if (name === 'none') return undefined;
    return this.bindings.all<PaymentProvider>(LIVE_PAYMENT_PROVIDER).find((provider) => provider.name === name);
  }
}
