import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery } from '../../platform/pagination/page-query';
import { PaymentMethodEntity } from './entities/payment-method.entity';

/** Listing and removing a customer's saved payment methods (saving is PaymentsRepository.saveDefaultMethod, inside the payment's transaction). */
@Injectable()
export class SavedPaymentMethodsRepository extends TenantScopedRepository {
  list(ctx: RequestContext, customerId: string, page: PageQuery) {
    const qb = this.m(ctx)
      .createQueryBuilder(PaymentMethodEntity, 'm')
      .where('m.tenant_id = :tenant AND m.mode = :mode AND m.customer_id = :customerId', { tenant: ctx.tenant, mode: ctx.mode, customerId });
    return paginate(qb, page, { name: 'created_at', column: 'm.created_at', idColumn: 'm.id', order: 'desc', valueOf: (m) => m.createdAt, idOf: (m) => m.id });
  }

  find(ctx: RequestContext, customerId: string, id: string): Promise<PaymentMethodEntity | null> {
    return this.m(ctx).findOneBy(PaymentMethodEntity, { id, customerId, tenantId: ctx.tenant, mode: ctx.mode });
  }

  /** Removes a method; when it was the default, the newest remaining one becomes the default (renewals keep a card to charge). */
  async remove(ctx: RequestContext, method: PaymentMethodEntity): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const m = this.m(txCtx);
      await this.lockUntilCommit(txCtx, 'payment_methods', [method.customerId]);
      await m.delete(PaymentMethodEntity, { id: method.id, tenantId: ctx.tenant, mode: ctx.mode });
      if (!method.isDefault) return;
      const next = await m.findOne(PaymentMethodEntity, {
        where: { customerId: method.customerId, tenantId: ctx.tenant, mode: ctx.mode }, order: { createdAt: 'DESC', id: 'DESC' },
      });
      if (next) await m.update(PaymentMethodEntity, { id: next.id, tenantId: ctx.tenant, mode: ctx.mode }, { isDefault: true });
    });
  }
}
