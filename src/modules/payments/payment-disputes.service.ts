import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, invalid, NotFoundError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { DisputeEntity } from './entities/dispute.entity';
import type { PaymentIntentEntity } from './entities/payment-intent.entity';
import { PaymentLedgerService } from './payment-ledger.service';
import { toDispute } from './payments.mappers';
import { PaymentsRepository, type DisputeFilters } from './payments.repository';
import { PaymentProviders } from './providers/payment-providers';

/**
 * Chargebacks: opened by the processor on capture, answered with evidence, closed by the bank.
 * A dispute holds its amount against the payment until it is won, so refunds of it are refused.
 */
@Injectable()
export class PaymentDisputesService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly providers: PaymentProviders,
    private readonly ledger: PaymentLedgerService,
  ) {}

  async listDisputes(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: DisputeFilters): Promise<Page<Schemas['Dispute']>> {
    return (await this.repo.listDisputes(ctx, page, order, filters)).map(toDispute);
  }

  /** Evidence moves a dispute from needs_response to under_review. */
  async respondToDispute(ctx: RequestContext, id: string, evidence: Record<string, string>): Promise<Schemas['Dispute']> {
    return this.tx.run(ctx, async (txCtx) => {
      const dispute = await this.disputeOr404(txCtx, id);
      if (dispute.status !== 'needs_response') {
        throw new ConflictError(`dispute ${dispute.id} does not await a response (status ${dispute.status})`, 'status');
      }
      dispute.evidence = evidence;
      dispute.evidenceSubmittedAt = new Date();
      dispute.status = 'under_review';
      return toDispute(await this.repo.saveDispute(txCtx, dispute));
    });
  }

  /** Sandbox only: the bank's decision. Won gives the money back; lost counts it against the payment. */
  async closeDispute(ctx: RequestContext, id: string, outcome: 'won' | 'lost'): Promise<Schemas['Dispute']> {
    if (!this.providers.isSandbox(ctx)) {
      throw invalid('outcome', 'live disputes are closed by the payment processor; this route serves the sandbox');
    }
    return this.settle(ctx, id, outcome);
  }

  /** The bank's decision, however it arrives (the sandbox route, a live processor's event). 409 when already closed. */
  async settle(ctx: RequestContext, id: string, outcome: 'won' | 'lost'): Promise<Schemas['Dispute']> {
    return this.tx.run(ctx, async (txCtx) => {
      const dispute = await this.disputeOr404(txCtx, id);
      if (dispute.status === 'won' || dispute.status === 'lost') {
        throw new ConflictError(`dispute ${dispute.id} is already closed (${dispute.status})`, 'status');
      }
      // The payments' lock order: target, then intent (payment-targets.port.ts).
      await this.ledger.lockTargetOf(txCtx, await this.ledger.reload(txCtx, dispute.intentId));
      const intent = await this.ledger.lockOr404(txCtx, dispute.intentId);
      dispute.status = outcome;
      const saved = await this.repo.saveDispute(txCtx, dispute);
      if (outcome === 'won') {
        await this.ledger.record(txCtx, intent, 'dispute_reversal', dispute.amount, { disputeId: dispute.id });
      } else {
        if (!(await this.repo.disputeLostGuarded(txCtx, intent.id, dispute.amount))) {
          throw new ConflictError(`dispute ${dispute.id} exceeds what is left of payment ${intent.id}`);
        }
        await this.ledger.notifyTarget(txCtx, intent.id);
      }
      return toDispute(saved);
    });
  }

  /** Inside the capture's transaction, when the processor reports a chargeback for it. */
  async open(ctx: RequestContext, intent: PaymentIntentEntity, reason: string): Promise<void> {
    const dispute = await this.repo.insertDispute(ctx, {
      id: newId('dp'), intentId: intent.id, amount: intent.amountCaptured, currency: intent.currency, reason,
    });
    await this.ledger.record(ctx, intent, 'dispute', -dispute.amount, { disputeId: dispute.id });
  }

  private async disputeOr404(ctx: RequestContext, id: string): Promise<DisputeEntity> {
    const dispute = await this.repo.lockDispute(ctx, parseIdOr404(id, 'dp', 'dispute'));
    if (!dispute) throw new NotFoundError('dispute', id);
    return dispute;
  }
}
