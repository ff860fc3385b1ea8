import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { NotFoundError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import { sumMinor } from '../../platform/money/money';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { PaymentIntentEntity } from './entities/payment-intent.entity';
import { toPaymentIntent, toTransaction } from './payments.mappers';
import { PaymentsRepository, type TransactionFilters } from './payments.repository';
import { PaymentTargets } from './payment-targets';
import type { PaymentFailure, PaymentSummary, PaymentTargetKind } from './payment-targets.port';

export type LedgerEntryType = 'charge' | 'refund' | 'dispute' | 'dispute_reversal';

/**
 * The steps every money movement shares, whichever service moves the money (intents, refunds,
 * disputes): its ledger row, the target's `onPaymentChanged` and the intent as the API shows it.
 * Kept in one place so all of them write the ledger and notify targets identically.
 */
@Injectable()
export class PaymentLedgerService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly targets: PaymentTargets,
  ) {}

  async listTransactions(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: TransactionFilters): Promise<Page<Schemas['Transaction']>> {
    return (await this.repo.listTransactions(ctx, page, order, filters)).map(toTransaction);
  }

  async record(
    ctx: RequestContext,
    intent: PaymentIntentEntity,
    type: LedgerEntryType,
    amount: number,
    refs: { refundId?: string; disputeId?: string },
    status: 'pending' | 'completed' = 'completed',
  ): Promise<void> {
    await this.repo.insertTransaction(ctx, {
      id: newId('txn'), type, status, amount, currency: intent.currency, intentId: intent.id,
      customerId: intent.customerId, customerEmail: intent.customerEmail, accountRefId: intent.accountRefId, ...refs,
    });
  }

  /** After every change of an intent with a target: its summary over all its payments, in the same transaction. */
  async notifyTarget(ctx: RequestContext, intentId: string, failure?: PaymentFailure): Promise<void> {
    const intent = await this.reload(ctx, intentId);
    if (!intent.targetKind || !intent.targetId) return;
    const target = this.targets.find(intent.targetKind);
    if (!target) return;
    await target.onPaymentChanged(ctx, intent.targetId, await this.summaryOf(ctx, intent.targetKind, intent.targetId), failure);
  }

  /** Inside a transaction, before the intent itself is locked: the lock order is target, then intent (payment-targets.port.ts). */
  async lockTargetOf(ctx: RequestContext, intent: Pick<PaymentIntentEntity, 'targetKind' | 'targetId'>): Promise<void> {
    if (!intent.targetKind || !intent.targetId) return;
    await this.targets.find(intent.targetKind)?.lock(ctx, intent.targetId);
  }

  async summaryOf(ctx: RequestContext, kind: PaymentTargetKind, targetId: string): Promise<PaymentSummary> {
    const intents = await this.repo.intentsOfTarget(ctx, kind, targetId);
    const attempted = intents.find((i) => ['succeeded', 'failed', 'requires_action', 'requires_capture', 'processing'].includes(i.status));
    return {
      currency: intents[0]?.currency ?? '',
      captured: sumMinor(intents.map((i) => i.amountCaptured)),
      refunded: sumMinor(intents.flatMap((i) => [i.amountRefunded, i.amountDisputed])),
      authorized: sumMinor(intents.filter((i) => i.status === 'requires_capture').map((i) => i.amount)),
      processing: sumMinor(intents.filter((i) => i.status === 'processing').map((i) => i.amount)),
      lastAttempt: (attempted?.status ?? null) as PaymentSummary['lastAttempt'],
    };
  }

  async present(ctx: RequestContext, intent: PaymentIntentEntity): Promise<Schemas['PaymentIntent']> {
    return toPaymentIntent(intent, (await this.repo.refundsOf(ctx, [intent.id])).get(intent.id) ?? []);
  }

  async reload(ctx: RequestContext, id: string): Promise<PaymentIntentEntity> {
    const intent = await this.repo.findIntent(ctx, id);
    if (!intent) throw new Error(`payment intent ${id} vanished inside its transaction`);
    return intent;
  }

  async intentOr404(ctx: RequestContext, id: string): Promise<PaymentIntentEntity> {
    const intent = await this.repo.findIntent(ctx, parseIdOr404(id, 'pi', 'payment'));
    if (!intent) throw new NotFoundError('payment', id);
    return intent;
  }

  async lockOr404(ctx: RequestContext, id: string): Promise<PaymentIntentEntity> {
    const intent = await this.repo.lockIntent(ctx, parseIdOr404(id, 'pi', 'payment'));
    if (!intent) throw new NotFoundError('payment', id);
    return intent;
  }
}
