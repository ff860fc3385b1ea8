import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, invalid } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import { PaymentLedgerService } from './payment-ledger.service';
import type { PaymentTargetKind } from './payment-targets.port';
import { PaymentTargets } from './payment-targets';
import { PaymentsRepository } from './payments.repository';

export type OfflineMethod = Schemas['OfflinePaymentMethod'];

export interface OfflinePaymentInput {
  amount: number;
  currency: string;
  method: OfflineMethod;
  reference?: string;
  paidAt?: Date;
}

/** How far in the future a `paid_at` may be (clocks differ); later is refused. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Money received outside the card flow (bank transfer, cash, cheque): recorded as a payment that
 * succeeded at once, in one transaction that locks the target and counts what it still owes, like
 * a card payment's first step — so offline and card payments together never exceed the total.
 * Nothing reaches a processor, now or when it is refunded.
 */
@Injectable()
export class OfflinePaymentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly targets: PaymentTargets,
    private readonly customers: CustomersService,
    private readonly events: EventsService,
    private readonly ledger: PaymentLedgerService,
  ) {}

  async record(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, input: OfflinePaymentInput): Promise<Schemas['PaymentIntent']> {
    if (input.paidAt && input.paidAt.getTime() > Date.now() + CLOCK_SKEW_MS) throw invalid('paid_at', 'must not be in the future');
    const intentId = await this.tx.run(ctx, async (txCtx) => {
      const payable = await this.targets.get(kind).lockPayable(txCtx, targetId, input.currency);
      const left = payable.total - (await this.repo.committedToTarget(txCtx, kind, targetId, null));
      if (input.amount > left) {
        throw new ConflictError(`${payable.label} has ${Math.max(0, left)} ${input.currency} left to pay (payments captured, authorized or in progress count); ${input.amount} is more than that`, 'amount');
      }
      const customer = payable.customerId ? await this.customers.getOrThrow(txCtx, payable.customerId) : null;
      const intent = await this.repo.insertIntent(txCtx, {
        id: newId('pi'), amount: input.amount, currency: input.currency, status: 'succeeded', captureMethod: 'automatic',
        paymentMethod: input.method, amountCaptured: input.amount, amountRefunded: 0, amountDisputed: 0,
        targetKind: kind, targetId, customerId: customer?.id ?? null, customerEmail: customer?.email ?? null, accountRefId: customer?.accountRefId ?? null,
        cardBrand: null, cardLast4: null, cardExpMonth: null, cardExpYear: null, processorRef: null, failureCode: null, failureMessage: null,
        metadata: {}, offlineReference: input.reference ?? null, paidAt: input.paidAt ?? new Date(),
      });
      await this.ledger.record(txCtx, intent, 'charge', intent.amount, {});
      await this.events.record(txCtx, 'payment.succeeded', await this.ledger.present(txCtx, intent));
      await this.ledger.notifyTarget(txCtx, intent.id);
      return intent.id;
    });
    return this.ledger.present(ctx, await this.ledger.reload(ctx, intentId));
  }
}

/** True for a payment recorded with `OfflinePaymentsService`: its refunds are recorded, never sent to a processor. */
export function isOffline(intent: { paymentMethod: string }): boolean {
  return intent.paymentMethod !== 'card';
}
