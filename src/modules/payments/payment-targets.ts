import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';

/** What a payment can pay for. Orders and invoices register themselves; payments knows neither. */
export type PaymentTargetKind = 'order' | 'invoice';

/** Money state of one target across all its payments, in minor units of `currency`. */
export interface PaymentSummary {
  currency: string;
  /** Sum of captured amounts. */
  captured: number;
  /** Sum of refunds (never more than captured). */
  refunded: number;
  /** Authorized but not captured yet (manual capture). */
  authorized: number;
  /** Outcome of the most recent payment attempt on the target. */
  lastAttempt: 'succeeded' | 'failed' | 'requires_action' | 'requires_capture' | null;
}

export interface PaymentTarget {
  /**
   * Throws NotFoundError (404) when the target does not exist for ctx's tenant and mode, or
   * ConflictError (409) when it cannot take this payment (wrong currency, already paid, cancelled).
   * Returns the customer the target belongs to, if any.
   */
  assertPayable(ctx: RequestContext, targetId: string, amount: number, currency: string): Promise<{ customerId: string | null }>;
  /** Called inside the payment's transaction after every money movement on the target. */
  onPaymentChanged(ctx: RequestContext, targetId: string, summary: PaymentSummary): Promise<void>;
}

/**
 * Registry through which orders and invoices (which import the payments module) hook into it
 * without payments importing them: dependencies keep pointing one way.
 */
@Injectable()
export class PaymentTargets {
  private readonly targets = new Map<PaymentTargetKind, PaymentTarget>();

  register(kind: PaymentTargetKind, target: PaymentTarget): void {
    if (this.targets.has(kind)) throw new Error(`payment target ${kind} registered twice`);
    this.targets.set(kind, target);
  }

  /** The target registered for `kind`, or null (payments then answers 422 naming the field). */
  find(kind: PaymentTargetKind): PaymentTarget | null {
    return this.targets.get(kind) ?? null;
  }

  get(kind: PaymentTargetKind): PaymentTarget {
    const target = this.targets.get(kind);
    if (!target) throw new Error(`no payment target registered for ${kind}`);
    return target;
  }
}
