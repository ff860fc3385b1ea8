import { Injectable, Logger } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { EventsService } from '../events/events.service';
import type { PaymentIntentEntity } from './entities/payment-intent.entity';
import { PaymentLedgerService } from './payment-ledger.service';
import { assertOutsideTransaction } from './payment-processing.service';
import type { PaymentTargetKind } from './payment-targets.port';
import { PaymentsRepository } from './payments.repository';
import { isOffline } from './offline-payments.service';
import { processorKeys, type PaymentProvider } from './providers/payment-provider.port';
import { PaymentProviders } from './providers/payment-providers';

/** A refund reserved and committed, waiting for its processor call. */
interface PlannedRefund {
  refundId: string;
  intentId: string;
  amount: number;
  currency: string;
  processorRef: string;
  /** Of an offline payment: recorded, never sent to a processor. */
  offline: boolean;
}

/**
 * Refunds of captured money, of one payment (`POST /payments/{id}/refund`) or spread over a
 * target's payments (order cancellation, invoice refunds). Never more than was captured, even
 * under concurrent requests, and never of money held by an open or lost dispute.
 *
 * Like charges: (1) one transaction reserves every refund of the request (guarded
 * `amount_refunded` increments, `pending` refund rows) — or refuses the whole request with 409
 * before any money moves; (2) the processor is called outside any transaction, the refund id as
 * its idempotency key; (3) each outcome is recorded in its own transaction (ledger row, event,
 * target). A lost answer leaves the refund `pending` for the reconciliation job.
 */
@Injectable()
export class PaymentRefundsService {
  private readonly logger = new Logger('Refunds');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly providers: PaymentProviders,
    private readonly ledger: PaymentLedgerService,
  ) {}

  /** `POST /payments/{id}/refund`. */
  async refund(ctx: RequestContext, id: string, amount?: number, reason?: string, refundApplicationFee = false): Promise<Schemas['PaymentIntent']> {
    assertOutsideTransaction(ctx, 'refunding a payment');
    // A card refund in live mode without a processor answers 422 before anything is written.
    if (!isOffline(await this.ledger.intentOr404(ctx, id))) this.providers.for(ctx);
    const planned = await this.tx.run(ctx, async (txCtx) => {
      await this.ledger.lockTargetOf(txCtx, await this.ledger.intentOr404(txCtx, id));
      const intent = await this.ledger.lockOr404(txCtx, id);
      return [await this.reserve(txCtx, intent, amount, reason ?? null, refundApplicationFee)];
    });
    await this.execute(ctx, planned);
    return this.ledger.present(ctx, await this.ledger.reload(ctx, planned[0].intentId));
  }

  /**
   * For orders (cancel, refunded) and billing (invoice refund): refunds captured-and-unrefunded
   * money of the target's payments, newest first, up to `amount` (all when absent); disputed
   * payments are skipped. With `exact`, anything short of `amount` → 409 before any money moves.
   * Returns the total refunded (0 when nothing was refundable). Outside any transaction.
   */
  async refundTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, reason?: string, amount?: number, exact = false): Promise<number> {
    assertOutsideTransaction(ctx, 'refunding a payment target');
    const planned = await this.tx.run(ctx, async (txCtx) => {
      await this.ledger.lockTargetOf(txCtx, { targetKind: kind, targetId });
      let left = amount ?? Number.POSITIVE_INFINITY;
      const plan: PlannedRefund[] = [];
      for (const listed of await this.repo.intentsOfTarget(txCtx, kind, targetId)) {
        if (left <= 0) break;
        const intent = await this.ledger.lockOr404(txCtx, listed.id);
        const refundable = intent.amountCaptured - intent.amountRefunded - intent.amountDisputed;
        if (intent.status !== 'succeeded' || refundable <= 0) continue;
        if (await this.repo.hasUnwonDispute(txCtx, intent.id)) continue;
        const take = Math.min(refundable, left);
        plan.push(await this.reserve(txCtx, intent, take, reason ?? null));
        left -= take;
      }
      const total = plan.reduce((sum, p) => sum + p.amount, 0);
      if (exact && amount !== undefined && total !== amount) {
        // Thrown inside the reservation's transaction: nothing is reserved, nothing reaches the processor.
        throw new ConflictError(`only ${total} of ${amount} could be refunded (disputed payments cannot be refunded)`, 'amount');
      }
      return plan;
    });
    if (planned.length === 0) return 0;
    await this.execute(ctx, planned);
    return planned.reduce((sum, p) => sum + p.amount, 0);
  }

  /** Step 1 for one payment: the guarded reservation and the `pending` refund row. */
  private async reserve(ctx: RequestContext, intent: PaymentIntentEntity, amount: number | undefined, reason: string | null, refundApplicationFee = false): Promise<PlannedRefund> {
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
    const refund = await this.repo.insertRefund(ctx, { id: newId('re'), intentId: intent.id, amount: refundAmount, currency: intent.currency, reason, refundApplicationFee, status: 'pending' });
    return { refundId: refund.id, intentId: intent.id, amount: refundAmount, currency: intent.currency, processorRef: intent.processorRef ?? '', offline: isOffline(intent) };
  }

  /** Steps 2 and 3 for each reserved refund. */
  private async execute(ctx: RequestContext, planned: PlannedRefund[]): Promise<void> {
    for (const p of planned) {
      try {
        if (!p.offline) await this.providers.for(ctx).refund(ctx, processorKeys.refund(p.refundId), p.processorRef, p.amount, p.currency);
      } catch (err) {
        this.logger.warn({ refund_id: p.refundId, err: (err as Error).message }, 'card processor answer lost; the refund stays pending until reconciled');
        continue;
      }
      await this.record(ctx, p.refundId, 'succeeded');
    }
  }

  /** Step 3: the outcome of a pending refund, once; false when it was settled already. */
  async record(ctx: RequestContext, refundId: string, outcome: 'succeeded' | 'failed'): Promise<boolean> {
    return this.tx.run(ctx, async (txCtx) => {
      const refund = await this.repo.findRefund(txCtx, refundId);
      if (!refund || refund.status !== 'pending') return false;
      await this.ledger.lockTargetOf(txCtx, await this.ledger.reload(txCtx, refund.intentId));
      const intent = await this.ledger.lockOr404(txCtx, refund.intentId);
      if (!(await this.repo.settleRefund(txCtx, refund.id, outcome))) return false;
      if (outcome === 'succeeded') {
        await this.ledger.record(txCtx, intent, 'refund', -refund.amount, { refundId: refund.id });
        await this.events.record(txCtx, 'payment.refunded', await this.ledger.present(txCtx, await this.ledger.reload(txCtx, intent.id)));
      } else {
        await this.repo.unreserveRefund(txCtx, intent.id, refund.amount);
      }
      await this.ledger.notifyTarget(txCtx, intent.id);
      return true;
    });
  }

  /** Reconciliation of a refund left `pending`: the processor knows its key → succeeded; never saw it → failed (reservation released). */
  async reconcile(ctx: RequestContext, refundId: string, processor?: PaymentProvider): Promise<'settled' | 'unchanged'> {
    assertOutsideTransaction(ctx, 'reconciling a refund');
    const refund = await this.repo.findRefund(ctx, refundId);
    const intent = refund ? await this.ledger.reload(ctx, refund.intentId) : null;
    // An offline payment's refund is a record only: nothing to ask, it stands.
    if (intent && isOffline(intent)) return (await this.record(ctx, refundId, 'succeeded')) ? 'settled' : 'unchanged';
    const provider = processor ?? this.providers.for(ctx);
    const seen = await provider.lookup(ctx, processorKeys.refund(refundId), intent?.processorRef);
    return (await this.record(ctx, refundId, seen?.operation === 'refund' ? 'succeeded' : 'failed')) ? 'settled' : 'unchanged';
  }
}
