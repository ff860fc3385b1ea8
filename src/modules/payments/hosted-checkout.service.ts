import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { CheckoutRequest } from './providers/payment-provider.port';
import { PaymentProviders } from './providers/payment-providers';

export type { CheckoutRequest } from './providers/payment-provider.port';

/**
 * For billing's hosted invoice page: in live mode with a processor that hosts its own payment page
 * (Stripe Checkout), the payer pays there instead of typing a card into ours. Test mode keeps the
 * sandbox card form.
 */
@Injectable()
export class HostedCheckoutService {
  constructor(private readonly providers: PaymentProviders) {}

  available(ctx: RequestContext): boolean {
    if (this.providers.isSandbox(ctx)) return false;
    try {
      return this.providers.for(ctx).startCheckout !== undefined;
    } catch {
      return false;
    }
  }

  /** The processor's page URL to send the payer to. Outside any transaction (it calls the processor). */
  start(ctx: RequestContext, request: CheckoutRequest): Promise<string> {
    const provider = this.providers.for(ctx);
    if (!provider.startCheckout) throw new Error(`payment provider ${provider.name} hosts no checkout page`);
    return provider.startCheckout(ctx, request);
  }
}
