import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { DisputeEntity, type DisputeStatus } from './entities/dispute.entity';
import { PaymentIntentEntity, type PaymentIntentStatus } from './entities/payment-intent.entity';
import { PaymentMethodEntity } from './entities/payment-method.entity';
import { RefundEntity, type RefundStatus } from './entities/refund.entity';
import { TransactionEntity, type TransactionStatus, type TransactionType } from './entities/transaction.entity';
import type { PaymentTargetKind } from './payment-targets.port';

export const PAYMENT_SORTS = ['created_at', 'amount'] as const;
export type PaymentSort = (typeof PAYMENT_SORTS)[number];

export interface PaymentFilters {
  status?: PaymentIntentStatus;
  customerId?: string;
  orderId?: string;
  invoiceId?: string;
  dateFrom?: Date;
  dateTo?: Date;
}

export interface DisputeFilters {
  status?: DisputeStatus;
  paymentId?: string;
}

export interface TransactionFilters {
  accountRefId?: string;
  status?: TransactionStatus;
  type?: TransactionType;
  customerEmail?: string;
  paymentId?: string;
}

/**
 * Every query of the payments module, each scoped by `ctx.tenant` and `ctx.mode`. Money columns
 * of an intent only change through guarded single-statement UPDATEs: the WHERE clause decides
 * under the row lock, so concurrent captures or refunds cannot both pass a check.
 */
@Injectable()
export class PaymentsRepository extends TenantScopedRepository {
  // --- intents
  insertIntent(ctx: RequestContext, fields: Partial<PaymentIntentEntity>): Promise<PaymentIntentEntity> {
    const m = this.m(ctx);
    return m.save(PaymentIntentEntity, m.create(PaymentIntentEntity, { ...fields, ...this.scope(ctx) }));
  }

  findIntent(ctx: RequestContext, id: string): Promise<PaymentIntentEntity | null> {
    return this.m(ctx).findOneBy(PaymentIntentEntity, { id, ...this.scope(ctx) });
  }

  /** Inside a transaction: locks the intent so its state changes run one at a time. */
  lockIntent(ctx: RequestContext, id: string): Promise<PaymentIntentEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(PaymentIntentEntity, 'i')
      .setLock('pessimistic_write')
      .where('i.id = :id AND i.tenant_id = :tenant AND i.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  /** Saves non-money fields (status, card, failure). Never call with an intent read before a guarded update. */
  async updateIntent(
    ctx: RequestContext,
    id: string,
    changes: Partial<Pick<PaymentIntentEntity, 'status' | 'processorRef' | 'failureCode' | 'failureMessage' | 'cardBrand' | 'cardLast4' | 'cardExpMonth' | 'cardExpYear'>>,
  ): Promise<void> {
    await this.m(ctx).update(PaymentIntentEntity, { id, ...this.scope(ctx) }, { ...changes, updatedAt: () => 'now()' });
  }

  /** processing → succeeded with `amount` captured, when `amount` ≤ the authorized amount; false when refused. */
  captureGuarded(ctx: RequestContext, id: string, amount: number): Promise<boolean> {
    return this.guarded(ctx, id, "status = 'succeeded', amount_captured = $4", "status = 'processing' AND $4 <= amount", amount);
  }

  /** Moves the status only from one of `from`; false when the intent was elsewhere (another request or the reconciliation got there first). */
  async moveStatus(ctx: RequestContext, id: string, from: PaymentIntentStatus[], to: PaymentIntentStatus): Promise<boolean> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(PaymentIntentEntity)
      .set({ status: to, updatedAt: () => 'now()' })
      .where('id = :id AND tenant_id = :tenant AND mode = :mode AND status IN (:...from)', { id, tenant: ctx.tenant, mode: ctx.mode, from })
      .execute();
    return !!result.affected;
  }

  /**
   * The money a target's payments hold against its total: captured, authorized (requires_capture)
   * and in flight at the processor (processing). Read under the target's row lock, so concurrent
   * payments of one target are counted one after the other.
   */
  async committedToTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, exceptIntentId: string | null): Promise<number> {
    const rows: { committed: string }[] = await this.m(ctx).query(
      `SELECT COALESCE(SUM(CASE WHEN status = 'succeeded' THEN amount_captured
                                WHEN status IN ('requires_capture', 'processing') THEN amount ELSE 0 END), 0) AS committed
         FROM payment_intents
        WHERE tenant_id = $1 AND mode = $2 AND target_kind = $3 AND target_id = $4 AND ($5::text IS NULL OR id <> $5)`,
      [ctx.tenant, ctx.mode, kind, targetId, exceptIntentId],
    );
    return Number(rows[0].committed);
  }

  /** Gives back a refund reservation that never reached the processor. */
  unreserveRefund(ctx: RequestContext, id: string, amount: number): Promise<boolean> {
    return this.guarded(ctx, id, 'amount_refunded = amount_refunded - $4', 'amount_refunded >= $4', amount);
  }

  /** amount_refunded += amount when refunds and lost disputes stay within what was captured; false when refused. */
  refundGuarded(ctx: RequestContext, id: string, amount: number): Promise<boolean> {
    return this.guarded(
      ctx, id, 'amount_refunded = amount_refunded + $4',
      "status = 'succeeded' AND amount_refunded + amount_disputed + $4 <= amount_captured", amount,
    );
  }

  /** amount_disputed += amount (a dispute lost), within what was captured; false when refused. */
  disputeLostGuarded(ctx: RequestContext, id: string, amount: number): Promise<boolean> {
    return this.guarded(ctx, id, 'amount_disputed = amount_disputed + $4', 'amount_refunded + amount_disputed + $4 <= amount_captured', amount);
  }

  private async guarded(ctx: RequestContext, id: string, set: string, guard: string, amount: number): Promise<boolean> {
    const rows: { id: string }[] = await this.m(ctx).query(
      `WITH changed AS (
         UPDATE payment_intents SET ${set}, updated_at = now()
          WHERE tenant_id = $1 AND mode = $2 AND id = $3 AND ${guard}
          RETURNING id)
       SELECT id FROM changed`,
      [ctx.tenant, ctx.mode, id, amount],
    );
    return rows.length > 0;
  }

  /** Every intent of a target, newest first. */
  intentsOfTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string): Promise<PaymentIntentEntity[]> {
    return this.m(ctx).find(PaymentIntentEntity, {
      where: { targetKind: kind, targetId, ...this.scope(ctx) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  listIntents(ctx: RequestContext, page: PageQuery, sort: { sort: PaymentSort; order: SortOrder }, filters: PaymentFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(PaymentIntentEntity, 'i')
      .where('i.tenant_id = :tenant AND i.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.status) qb.andWhere('i.status = :status', { status: filters.status });
    if (filters.customerId) qb.andWhere('i.customer_id = :customerId', { customerId: filters.customerId });
    if (filters.orderId) qb.andWhere("i.target_kind = 'order' AND i.target_id = :orderId", { orderId: filters.orderId });
    if (filters.invoiceId) qb.andWhere("i.target_kind = 'invoice' AND i.target_id = :invoiceId", { invoiceId: filters.invoiceId });
    if (filters.dateFrom) qb.andWhere('i.created_at >= :from', { from: filters.dateFrom });
    if (filters.dateTo) qb.andWhere('i.created_at <= :to', { to: filters.dateTo });
    const spec =
      sort.sort === 'amount'
        ? { column: 'i.amount', valueOf: (i: PaymentIntentEntity) => i.amount }
        : { column: 'i.created_at', valueOf: (i: PaymentIntentEntity) => i.createdAt };
    return paginate(qb, page, { name: sort.sort, column: spec.column, idColumn: 'i.id', order: sort.order, valueOf: spec.valueOf, idOf: (i) => i.id });
  }

  // --- refunds
  insertRefund(ctx: RequestContext, fields: Pick<RefundEntity, 'id' | 'intentId' | 'amount' | 'currency' | 'reason' | 'status'> & Partial<Pick<RefundEntity, 'refundApplicationFee'>>): Promise<RefundEntity> {
    const m = this.m(ctx);
    return m.save(RefundEntity, m.create(RefundEntity, { ...fields, ...this.scope(ctx) }));
  }

  findRefund(ctx: RequestContext, id: string): Promise<RefundEntity | null> {
    return this.m(ctx).findOneBy(RefundEntity, { id, ...this.scope(ctx) });
  }

  /** pending → `outcome`; false when it was settled already (by the request or the reconciliation). */
  async settleRefund(ctx: RequestContext, id: string, outcome: Exclude<RefundStatus, 'pending'>): Promise<boolean> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(RefundEntity)
      .set({ status: outcome })
      .where("id = :id AND tenant_id = :tenant AND mode = :mode AND status = 'pending'", { id, tenant: ctx.tenant, mode: ctx.mode })
      .execute();
    return !!result.affected;
  }

  /** Refunds of several intents, oldest first within each. */
  async refundsOf(ctx: RequestContext, intentIds: string[]): Promise<Map<string, RefundEntity[]>> {
    const map = new Map<string, RefundEntity[]>();
    if (intentIds.length === 0) return map;
    const rows = await this.m(ctx).find(RefundEntity, {
      where: { intentId: In(intentIds), ...this.scope(ctx) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const r of rows) map.set(r.intentId, [...(map.get(r.intentId) ?? []), r]);
    return map;
  }

  // --- disputes
  insertDispute(ctx: RequestContext, fields: Pick<DisputeEntity, 'id' | 'intentId' | 'amount' | 'currency' | 'reason'>): Promise<DisputeEntity> {
    const m = this.m(ctx);
    return m.save(DisputeEntity, m.create(DisputeEntity, { ...fields, status: 'needs_response', evidence: null, evidenceSubmittedAt: null, ...this.scope(ctx) }));
  }

  lockDispute(ctx: RequestContext, id: string): Promise<DisputeEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(DisputeEntity, 'd')
      .setLock('pessimistic_write')
      .where('d.id = :id AND d.tenant_id = :tenant AND d.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  saveDispute(ctx: RequestContext, dispute: DisputeEntity): Promise<DisputeEntity> {
    return this.m(ctx).save(DisputeEntity, dispute);
  }

  /** True when the intent has a dispute that is not won (open or lost): such a payment cannot be refunded. */
  async hasUnwonDispute(ctx: RequestContext, intentId: string): Promise<boolean> {
    const count = await this.m(ctx)
      .createQueryBuilder(DisputeEntity, 'd')
      .where("d.tenant_id = :tenant AND d.mode = :mode AND d.intent_id = :intentId AND d.status <> 'won'", {
        tenant: ctx.tenant, mode: ctx.mode, intentId,
      })
      .getCount();
    return count > 0;
  }

  listDisputes(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: DisputeFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(DisputeEntity, 'd')
      .where('d.tenant_id = :tenant AND d.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.status) qb.andWhere('d.status = :status', { status: filters.status });
    if (filters.paymentId) qb.andWhere('d.intent_id = :paymentId', { paymentId: filters.paymentId });
    return paginate(qb, page, { name: 'created_at', column: 'd.created_at', idColumn: 'd.id', order, valueOf: (d) => d.createdAt, idOf: (d) => d.id });
  }

  // --- ledger
  insertTransaction(
    ctx: RequestContext,
    fields: Pick<TransactionEntity, 'id' | 'type' | 'status' | 'amount' | 'currency' | 'intentId' | 'customerId' | 'customerEmail' | 'accountRefId'> &
      Partial<Pick<TransactionEntity, 'refundId' | 'disputeId'>>,
  ): Promise<TransactionEntity> {
    const m = this.m(ctx);
    return m.save(TransactionEntity, m.create(TransactionEntity, { refundId: null, disputeId: null, ...fields, ...this.scope(ctx) }));
  }

  /** Moves an intent's charge row (there is one per authorization attempt) to its outcome. */
  async settleCharge(ctx: RequestContext, intentId: string, status: TransactionStatus, amount?: number): Promise<void> {
    await this.m(ctx).update(
      TransactionEntity,
      { intentId, type: 'charge', status: 'pending', ...this.scope(ctx) },
      { status, ...(amount !== undefined ? { amount } : {}), updatedAt: () => 'now()' },
    );
  }

  listTransactions(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: TransactionFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(TransactionEntity, 't')
      .where('t.tenant_id = :tenant AND t.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.accountRefId) qb.andWhere('t.account_ref_id = :ref', { ref: filters.accountRefId });
    if (filters.status) qb.andWhere('t.status = :status', { status: filters.status });
    if (filters.type) qb.andWhere('t.type = :type', { type: filters.type });
    if (filters.customerEmail) qb.andWhere('t.customer_email = :email', { email: filters.customerEmail.toLowerCase() });
    if (filters.paymentId) qb.andWhere('t.intent_id = :paymentId', { paymentId: filters.paymentId });
    return paginate(qb, page, { name: 'created_at', column: 't.created_at', idColumn: 't.id', order, valueOf: (t) => t.createdAt, idOf: (t) => t.id });
  }

  // --- reconciliation sweeps (cross-tenant, keys only: each row is then handled in its own tenant's context)
  /** Intents in `processing` for more than `olderThanSeconds` (by the database clock). */
  stuckIntents(ctx: RequestContext, olderThanSeconds: number, limit: number, tenantId: string | null): Promise<{ id: string; tenant_id: string; mode: 'live' | 'test' }[]> {
    return this.tx.acrossTenants('payment_reconciliation', (m) => m.query(
      `SELECT id, tenant_id, mode FROM payment_intents
        WHERE status = 'processing' AND updated_at <= now() - make_interval(secs => $1) AND ($3::text IS NULL OR tenant_id = $3)
        ORDER BY updated_at LIMIT $2`,
      [olderThanSeconds, limit, tenantId],
    ), ctx);
  }

  /** Refunds `pending` for more than `olderThanSeconds` (by the database clock). */
  stuckRefunds(ctx: RequestContext, olderThanSeconds: number, limit: number, tenantId: string | null): Promise<{ id: string; tenant_id: string; mode: 'live' | 'test' }[]> {
    return this.tx.acrossTenants('payment_reconciliation', (m) => m.query(
      `SELECT id, tenant_id, mode FROM refunds
        WHERE status = 'pending' AND created_at <= now() - make_interval(secs => $1) AND ($3::text IS NULL OR tenant_id = $3)
        ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit, tenantId],
    ), ctx);
  }

  // --- saved payment methods
  /** The customer's default saved method, or null. */
  findDefaultMethod(ctx: RequestContext, customerId: string): Promise<PaymentMethodEntity | null> {
    return this.m(ctx).findOneBy(PaymentMethodEntity, { customerId, isDefault: true, ...this.scope(ctx) });
  }

  /**
   * Saves a method as the customer's only default (inside the payment's transaction). The same card
   * saved again (same brand, last4, expiry and reference) becomes the default instead of a duplicate.
   */
  async saveDefaultMethod(
    ctx: RequestContext,
    fields: Pick<PaymentMethodEntity, 'id' | 'customerId' | 'brand' | 'last4' | 'expMonth' | 'expYear' | 'processorRef'>,
  ): Promise<PaymentMethodEntity> {
    const m = this.m(ctx);
    // One default change per customer at a time: a concurrent save waits here and then sees this one's row.
    await this.lockUntilCommit(ctx, 'payment_methods', [fields.customerId]);
    await m.update(PaymentMethodEntity, { customerId: fields.customerId, isDefault: true, ...this.scope(ctx) }, { isDefault: false });
    const same = await m.findOneBy(PaymentMethodEntity, {
      customerId: fields.customerId, brand: fields.brand, last4: fields.last4, expMonth: fields.expMonth, expYear: fields.expYear,
      processorRef: fields.processorRef, ...this.scope(ctx),
    });
    if (same) {
      await m.update(PaymentMethodEntity, { id: same.id, ...this.scope(ctx) }, { isDefault: true });
      return { ...same, isDefault: true };
    }
    const entity = m.create(PaymentMethodEntity, { ...fields, isDefault: true, ...this.scope(ctx) });
    await m.insert(PaymentMethodEntity, entity);
    return entity;
  }
}
