import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { newId } from '../../platform/ids/ids';
import { cardBrand } from './card';
import type { PaymentIntentEntity } from './entities/payment-intent.entity';
import type { PaymentMethodEntity } from './entities/payment-method.entity';
import { PaymentsRepository } from './payments.repository';
import type { CardToSave } from './payment-processing.service';
import type { CardInput, PaymentProvider } from './providers/payment-provider.port';

/**
 * Customers' saved cards: what renewals and empty-body invoice payments charge. Only the
 * provider's reusable reference is kept, so nothing here can ever leak a card number.
 */
@Injectable()
export class SavedPaymentMethodsService {
  constructor(private readonly repo: PaymentsRepository) {}

  /** The customer's default saved method, or null. */
  async findDefault(ctx: RequestContext, customerId: string): Promise<PaymentMethodEntity | null> {
    return this.repo.findDefaultMethod(ctx, customerId);
  }

  /**
   * Outside any transaction (it may ask the processor): the reusable reference of a card that is
   * about to pay an invoice of a known customer, or null when it will not be saved.
   */
  async reusableRefFor(ctx: RequestContext, intent: PaymentIntentEntity, card: CardInput, provider: PaymentProvider): Promise<string | null> {
    if (intent.targetKind !== 'invoice' || !intent.customerId || !provider.reusableRef) return null;
    return provider.reusableRef(ctx, card);
  }

  /**
   * A card that paid an invoice becomes its customer's default saved method (never the number), by
   * the reference from `reusableRefFor`; so does a processor-side method the processor kept.
   */
  async saveIfInvoice(ctx: RequestContext, intent: PaymentIntentEntity, save: CardToSave): Promise<void> {
    if (intent.targetKind !== 'invoice' || !intent.customerId) return;
    if ('method' in save) {
      const { ref, ...shown } = save.method;
      await this.repo.saveDefaultMethod(ctx, { id: newId('pm'), customerId: intent.customerId, ...shown, processorRef: ref });
      return;
    }
    const { card, ref } = save;
    if (!ref) return;
    await this.repo.saveDefaultMethod(ctx, {
      id: newId('pm'), customerId: intent.customerId, brand: cardBrand(card.number), last4: card.number.slice(-4),
      expMonth: card.exp_month, expYear: card.exp_year, processorRef: ref,
    });
  }
}
