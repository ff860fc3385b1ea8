import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { EventsService } from '../events/events.service';
import type { PaymentIntentEntity } from './entities/payment-intent.entity';
import { PaymentLedgerService } from './payment-ledger.service';
import type { PaymentTargetKind } from './payment-targets';
import { PaymentsRepository } from './payments.repository';
import type { PaymentProvider } from './providers/payment-provider';
import { PaymentProviders } from './providers/payment-providers';

/**
 * Refunds of captured money, of one payment (`POST /payments/{id}/refund`) or spread over a
 * target's payments (order cancellation, invoice refunds). Never more than was captured, even
 * under concurrent requests, and never of money held by an open or lost dispute.
 */
@Injectable()
export class PaymentRefundsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly providers: PaymentProviders,
    private readonly ledger: PaymentLedgerService,
  ) {}

  /** `POST /payments/{id}/refund`. */
  async refund(ctx: RequestContext, id: string, amount?: number, reason?: string): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const intent = await this.ledger.intentOr404(txCtx, id);
      await this.refundIntent(txCtx, intent, amount, reason ?? null, provider);
      return this.ledger.present(txCtx, await this.ledger.reload(txCtx, intent.id));
    });
  }

  /**
   * For orders (cancel) and billing (invoice refund): refunds captured-and-unrefunded money of the
   * target's payments, newest first, up to `amount` (all when absent). Disputed payments are
   * skipped. Returns the total refunded (0 when nothing was refundable). Joins the caller's transaction.
   */
  async refundTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, reason?: string, amount?: number): Promise<number> {
    return this.tx.run(ctx, async (txCtx) => {
      let left = amount ?? Number.POSITIVE_INFINITY;
      let total = 0;
      for (const intent of await this.repo.intentsOfTarget(txCtx, kind, targetId)) {
        if (left <= 0) break;
        const refundable = intent.amountCaptured - intent.amountRefunded - intent.amountDisputed;
        if (intent.status !== 'succeeded' || refundable <= 0) continue;
        if (await this.repo.hasUnwonDispute(txCtx, intent.id)) continue;
        const take = Math.min(refundable, left);
        await this.refundIntent(txCtx, intent, take, reason ?? null, this.providers.for(txCtx));
        total += take;
        left -= take;
      }
      return total;
    });
  }

  private async refundIntent(
    ctx: RequestContext,
    intent: PaymentIntentEntity,
    amount: number | undefined,
    reason: string | null,
    provider: PaymentProvider,
  ): Promise<void> {
    if (intent.status !== 'succeeded') {
      throw new ConflictError(`payment ${intent.id} has no captured money to refund (status ${intent.status})`, 'status');
    }
    if (await this.repo.hasUnwonDispute(ctx, intent.id)) {
      throw new ConflictError(`payment ${intent.id} is disputed and cannot be refunded`);
    }
    const left = intent.amountCaptured - intent.amountRefunded - intent.amountDisputed;
    const refundAmount = amount ?? left;
    if (refundAmount <= 0) throw new ConflictError(`payment ${intent.id} is already fully refunded`, 'amount');
    // The guarded UPDATE decides under the row lock, so concurrent refunds never exceed the capture.
    if (!(await this.repo.refundGuarded(ctx, intent.id, refundAmount))) {
      const now = await this.ledger.reload(ctx, intent.id);
      const remaining = now.amountCaptured - now.amountRefunded - now.amountDisputed;
      throw new ConflictError(`cannot refund ${refundAmount}: only ${remaining} of payment ${intent.id} is left to refund`, 'amount');
    }
    await provider.refund(ctx, intent.processorRef ?? '', refundAmount, intent.currency);
    const refund = await this.repo.insertRefund(ctx, { id: newId('re'), intentId: intent.id, amount: refundAmount, currency: intent.currency, reason });
    await this.ledger.record(ctx, intent, 'refund', -refundAmount, { refundId: refund.id });
    await this.events.record(ctx, 'payment.refunded', await this.ledger.present(ctx, await this.ledger.reload(ctx, intent.id)));
    await this.ledger.notifyTarget(ctx, intent.id);
  }
}
