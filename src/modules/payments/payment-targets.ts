import { Injectable } from '@nestjs/common';
import { PortBindings } from '../../platform/ports/port-bindings';
import { PAYMENT_TARGETS, type PaymentTarget, type PaymentTargetKind } from './payment-targets.port';

/** The target bound for each kind (payment-targets.port.ts), as payments' services look it up. */
@Injectable()
export class PaymentTargets {
  constructor(private readonly bindings: PortBindings) {}

  /** The target bound for `kind`, or null when no loaded module binds it (payments then answers 422 naming the field). */
  find(kind: PaymentTargetKind): PaymentTarget | null {
    return this.bindings.one<PaymentTarget>(PAYMENT_TARGETS[kind]);
  }

  get(kind: PaymentTargetKind): PaymentTarget {
    const target = this.find(kind);
    if (!target) throw new Error(`no payment target bound for ${kind}`);
    return target;
  }
}
