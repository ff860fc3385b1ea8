import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import { PortBindings } from '../../platform/ports/port-bindings';
import { CustomerRollupsService } from './customer-rollups.service';
import { factOf, isNewerVersion } from './order-facts';
import { ANALYTICS_ORDER_SOURCE, type AnalyticsOrderSource } from './order-source.port';
import { contributionOf, differenceOf } from './rollup-deltas';
import { RollupsRebuildRepository } from './rollups-rebuild.repository';
import { RollupsRepository } from './rollups.repository';

const REBUILD_PAGE = 2000;

/**
 * Keeps analytics' facts and rollups: from each order event (the subscriber) by adding the
 * difference between the order's new and stored fact, and from the orders themselves when rebuilt
 * (rows recomputed from the facts). The e2e tests check that both give the same reports.
 */
@Injectable()
export class RollupsService {
  constructor(
    private readonly repo: RollupsRepository,
    private readonly rebuildRepo: RollupsRebuildRepository,
    private readonly customers: CustomerRollupsService,
    private readonly tx: TransactionService,
    private readonly bindings: PortBindings,
  ) {}

  /**
   * Inside the relay's transaction: applies an order snapshot carried by event `eventId`. An event
   * whose order state is not newer than the stored one (a replay, or one overtaken by a later event)
   * changes nothing. The customer's lock comes first (CustomerRollupsService.lockCustomer).
   */
  async applyOrder(ctx: RequestContext, order: Schemas['Order'], eventId: string): Promise<boolean> {
    const versionAt = new Date(order.updated_at);
    await this.customers.lockCustomer(ctx, order.currency, order.customer_id);
    const { stored, totals } = await this.repo.lockedState(ctx, { id: order.id, currency: order.currency, customerId: order.customer_id });
    if (!isNewerVersion(stored ? { at: stored.versionAt, event: stored.versionEvent } : null, versionAt, eventId)) return false;
    const fact = factOf(order);
    await this.repo.saveFacts(ctx, [{ ...fact, versionAt, versionEvent: eventId }]);
    // The difference between the order's new and old contribution: O(1) per event however busy the hour.
    await this.repo.addHourly(ctx, fact.currency, fact.placedHour, differenceOf(contributionOf(fact), stored && contributionOf(stored)));
    await this.customers.applyOrder(ctx, stored, fact, totals);
    return true;
  }

  /** Recomputes ctx's facts and rollups from its orders (read through ANALYTICS_ORDER_SOURCE), in one transaction. */
  async rebuild(ctx: RequestContext): Promise<{ orders: number }> {
    const source = this.bindings.one<AnalyticsOrderSource>(ANALYTICS_ORDER_SOURCE);
    if (!source) throw new Error('ANALYTICS_ORDER_SOURCE is not bound: load OrdersModule');
    return this.tx.run(ctx, async (txCtx) => {
      await this.rebuildRepo.allowLongStatements(txCtx);
      await this.rebuildRepo.clear(txCtx);
      let after: string | null = null;
      let orders = 0;
      for (;;) {
        const page = await source.pageOrders(txCtx, after, REBUILD_PAGE);
        if (page.length === 0) break;
        // 'rebuild' sorts after every evt_ id: an event of the same order state seen later changes nothing.
        await this.repo.saveFacts(txCtx, page.map((o) => ({ ...factOf(o), versionAt: new Date(o.updated_at), versionEvent: 'rebuild' })));
        orders += page.length;
        after = page[page.length - 1].id;
      }
      await this.recomputeAll(txCtx);
      return { orders };
    });
  }

  /** Recomputes every rollup row of ctx from its facts, customer rollups included (the second half of a rebuild; benchmarks load facts in bulk and call it). */
  async recomputeAll(ctx: RequestContext): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      await this.rebuildRepo.allowLongStatements(txCtx);
      await this.rebuildRepo.recomputeHourly(txCtx);
      await this.rebuildRepo.recomputePeriods(txCtx);
      await this.rebuildRepo.recomputeCustomers(txCtx);
      await this.customers.recomputeAll(txCtx);
    });
  }
}
