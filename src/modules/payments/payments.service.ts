import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { PaymentMethodEntity } from './entities/payment-method.entity';
import { PaymentDisputesService } from './payment-disputes.service';
import { PaymentIntentsService, type ChargeSavedInput, type ChargeTargetInput, type CreateIntentInput } from './payment-intents.service';
import { PaymentLedgerService } from './payment-ledger.service';
import { PaymentRefundsService } from './payment-refunds.service';
import type { PaymentSummary, PaymentTargetKind } from './payment-targets';
import type { DisputeFilters, PaymentFilters, PaymentSort, TransactionFilters } from './payments.repository';
import type { CardInput } from './providers/payment-provider';
import { SavedPaymentMethodsService } from './saved-payment-methods.service';

export type { ChargeSavedInput, ChargeTargetInput, CreateIntentInput } from './payment-intents.service';
export { NO_SAVED_PAYMENT_METHOD } from './saved-payment-methods.service';

/**
 * The payments module's single entry point, for its controllers and for other modules: orders and
 * billing call `chargeTarget`, `chargeSavedMethod`, `refundTarget` (and the `PaymentTargets`
 * registry tells them about their payments). It only delegates, so callers never depend on how
 * the work is split among intents, refunds, disputes, saved methods and the ledger.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly intents: PaymentIntentsService,
    private readonly refunds: PaymentRefundsService,
    private readonly disputes: PaymentDisputesService,
    private readonly savedMethods: SavedPaymentMethodsService,
    private readonly ledger: PaymentLedgerService,
  ) {}

  // --- reads

  list(ctx: RequestContext, page: PageQuery, sort: { sort: PaymentSort; order: SortOrder }, filters: PaymentFilters): Promise<Page<Schemas['PaymentIntent']>> {
    return this.intents.list(ctx, page, sort, filters);
  }

  get(ctx: RequestContext, id: string): Promise<Schemas['PaymentIntent']> {
    return this.intents.get(ctx, id);
  }

  listDisputes(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: DisputeFilters): Promise<Page<Schemas['Dispute']>> {
    return this.disputes.listDisputes(ctx, page, order, filters);
  }

  listTransactions(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: TransactionFilters): Promise<Page<Schemas['Transaction']>> {
    return this.ledger.listTransactions(ctx, page, order, filters);
  }

  // --- writes

  /** `POST /payments/intents`. */
  create(ctx: RequestContext, input: CreateIntentInput): Promise<Schemas['PaymentIntent']> {
    return this.intents.create(ctx, input);
  }

  /** `POST /payments/{id}/confirm`. */
  confirm(ctx: RequestContext, id: string, card: CardInput | undefined): Promise<Schemas['PaymentIntent']> {
    return this.intents.confirm(ctx, id, card);
  }

  /** `POST /payments/{id}/capture`. */
  capture(ctx: RequestContext, id: string, amount?: number): Promise<Schemas['PaymentIntent']> {
    return this.intents.capture(ctx, id, amount);
  }

  /** `POST /payments/{id}/refund`. */
  refund(ctx: RequestContext, id: string, amount?: number, reason?: string): Promise<Schemas['PaymentIntent']> {
    return this.refunds.refund(ctx, id, amount, reason);
  }

  /** See `PaymentIntentsService.chargeTarget`. Outside any transaction (it commits its own around the processor call). */
  chargeTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, input: ChargeTargetInput): Promise<Schemas['PaymentIntent']> {
    return this.intents.chargeTarget(ctx, kind, targetId, input);
  }

  /** See `PaymentIntentsService.chargeSavedMethod`: 422 (field `payment_method`) when there is nothing to charge. */
  chargeSavedMethod(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, input: ChargeSavedInput): Promise<Schemas['PaymentIntent']> {
    return this.intents.chargeSavedMethod(ctx, kind, targetId, input);
  }

  /** The customer's default saved method (brand, last4, expiry), or null; its processor reference stays in this module. */
  defaultMethodOf(ctx: RequestContext, customerId: string): Promise<Pick<PaymentMethodEntity, 'id' | 'brand' | 'last4' | 'expMonth' | 'expYear'> | null> {
    return this.savedMethods.findDefault(ctx, customerId);
  }

  /** See `PaymentRefundsService.refundTarget`: with `exact`, anything short of `amount` → 409 before money moves. Outside any transaction. */
  refundTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, reason?: string, amount?: number, exact = false): Promise<number> {
    return this.refunds.refundTarget(ctx, kind, targetId, reason, amount, exact);
  }

  summaryOf(ctx: RequestContext, kind: PaymentTargetKind, targetId: string): Promise<PaymentSummary> {
    return this.ledger.summaryOf(ctx, kind, targetId);
  }

  // --- disputes

  /** Evidence moves a dispute from needs_response to under_review. */
  respondToDispute(ctx: RequestContext, id: string, evidence: Record<string, string>): Promise<Schemas['Dispute']> {
    return this.disputes.respondToDispute(ctx, id, evidence);
  }

  /** Sandbox only: the bank's decision. */
  closeDispute(ctx: RequestContext, id: string, outcome: 'won' | 'lost'): Promise<Schemas['Dispute']> {
    return this.disputes.closeDispute(ctx, id, outcome);
  }
}
