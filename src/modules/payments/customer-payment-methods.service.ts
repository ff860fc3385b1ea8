import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { NotFoundError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery } from '../../platform/pagination/page-query';
import { CustomersService } from '../customers/customers.service';
import type { PaymentMethodEntity } from './entities/payment-method.entity';
import { PaymentProviders } from './providers/payment-providers';
import { SavedPaymentMethodsRepository } from './saved-payment-methods.repository';

function toSavedPaymentMethod(m: PaymentMethodEntity): Schemas['SavedPaymentMethod'] {
  return {
    id: m.id, customer_id: m.customerId, type: 'card', brand: m.brand, last4: m.last4, exp_month: m.expMonth, exp_year: m.expYear,
    is_default: m.isDefault, livemode: m.mode === 'live', created_at: m.createdAt.toISOString(),
  };
}

/** `GET|DELETE /customers/{id}/payment-methods`: the cards renewals and dunning charge off-session. */
@Injectable()
export class CustomerPaymentMethodsService {
  constructor(
    private readonly customers: CustomersService,
    private readonly repo: SavedPaymentMethodsRepository,
    private readonly providers: PaymentProviders,
  ) {}

  async list(ctx: RequestContext, customerId: string, page: PageQuery): Promise<Page<Schemas['SavedPaymentMethod']>> {
    const customer = await this.customers.getOrThrow(ctx, customerId);
    return (await this.repo.list(ctx, customer.id, page)).map(toSavedPaymentMethod);
  }

  /** Forgets the method at the processor first (Stripe: detached from the customer), then here. */
  async remove(ctx: RequestContext, customerId: string, methodId: string): Promise<void> {
    const customer = await this.customers.getOrThrow(ctx, customerId);
    const method = await this.repo.find(ctx, customer.id, methodId);
    if (!method) throw new NotFoundError('payment method', methodId);
    if (!this.providers.isSandbox(ctx)) {
      const provider = this.providers.for(ctx);
      if (provider.forgetMethod) await provider.forgetMethod(ctx, method.processorRef);
    }
    await this.repo.remove(ctx, method);
  }
}
