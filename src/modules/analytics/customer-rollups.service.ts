import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { segmentDeltas, totalsWithOrder, type CustomerTotals } from './customer-rollups';
import { CustomerRollupsRebuildRepository } from './customer-rollups-rebuild.repository';
import { CustomerRollupsRepository, type CustomerChange, type Neighbour } from './customer-rollups.repository';
import { mergeCells, returnCells, type ReturnCell } from './customer-returns';
import type { OrderFact } from './order-facts';

/**
 * Keeps what the customers report reads — per-customer totals, their cohort, geography and
 * recency rows, and the returns grid — from the order events, in constant work per event: the
 * customer's stored totals are changed by the order's difference and the customer is moved
 * between rows by difference; only a cancellation (or an order placed at the very instant of the
 * latest one) recomputes that one customer from the facts. The rebuild recomputes everything.
 */
@Injectable()
export class CustomerRollupsService {
  constructor(
    private readonly repo: CustomerRollupsRepository,
    private readonly rebuild: CustomerRollupsRebuildRepository,
  ) {}

  /** Taken before the order's fact is locked, so the events of one customer never wait on each other in two orders. */
  lockCustomer(ctx: RequestContext, currency: string, customerId: string): Promise<void> {
    return this.repo.lockCustomer(ctx, currency, customerId);
  }

  /**
   * After the order's newer fact was saved (`stored` is the one it replaced, null for the order's
   * first event; `before` the customer's totals, read under their lock): applies what changed for
   * the customer. An order that counted before and after with the same amounts changes nothing here.
   */
  async applyOrder(ctx: RequestContext, stored: OrderFact | null, fact: OrderFact, before: CustomerTotals | null): Promise<void> {
    const counted = { before: stored?.counted === true, after: fact.counted };
    if (!counted.before && !counted.after) return;
    if (counted.before && counted.after && stored!.total === fact.total && stored!.refunded === fact.refunded) return;
    const { currency, customerId } = fact;
    const after = this.changedTotals(before, stored, fact) ?? (await this.repo.totalsFromFacts(ctx, currency, customerId));
    const relinked = counted.before !== counted.after ? await this.relink(ctx, fact, counted.after, before) : { cells: [], links: [] };
    await this.repo.write(ctx, { currency, customerId, after, deltas: segmentDeltas(before, after), ...relinked });
  }

  /** Recomputes ctx's customer rollups (after the customer totals were recomputed from the facts). */
  recomputeAll(ctx: RequestContext): Promise<void> {
    return this.rebuild.recompute(ctx);
  }

  /** The totals after the change when the stored row tells them; null when the customer must be recomputed from the facts. */
  private changedTotals(before: CustomerTotals | null, stored: OrderFact | null, fact: OrderFact): CustomerTotals | null {
    if (!fact.counted) return null;
    if (!stored?.counted) return totalsWithOrder(before, fact);
    if (!before) return null;
    return { ...before, revenue: before.revenue + fact.total - stored.total, refunds: before.refunds + fact.refunded - stored.refunded };
  }

  /**
   * The order joins (or leaves) its customer's chain of counted orders: the return from its
   * neighbour before to its neighbour after is replaced by the two through it (or the reverse),
   * and the `prev_at` of the order and of the one after it follow. A new latest order (the usual
   * case) needs no look-up: its neighbour before is the customer's last order, none comes after.
   */
  private async relink(ctx: RequestContext, fact: OrderFact, joins: boolean, before: CustomerTotals | null): Promise<Pick<CustomerChange, 'cells' | 'links'>> {
    const self: Neighbour = { orderId: fact.orderId, placedAt: fact.placedAt };
    const latest = joins && (!before || fact.placedAt > before.lastOrderAt);
    const { prev, next } = latest
      ? { prev: before && { placedAt: before.lastOrderAt }, next: null }
      : await this.repo.neighbours(ctx, fact.currency, fact.customerId, self);
    const sign = joins ? 1 : -1;
    const cells: ReturnCell[] = [];
    if (prev && next) cells.push(...returnCells(prev.placedAt, next.placedAt, joins ? -1 : 1));
    if (prev) cells.push(...returnCells(prev.placedAt, self.placedAt, sign));
    if (next) cells.push(...returnCells(self.placedAt, next.placedAt, sign));
    const links = [{ orderId: self.orderId, prevAt: joins ? (prev?.placedAt ?? null) : null }];
    if (next) links.push({ orderId: next.orderId, prevAt: joins ? self.placedAt : (prev?.placedAt ?? null) });
    return { cells: mergeCells(cells), links };
  }
}
