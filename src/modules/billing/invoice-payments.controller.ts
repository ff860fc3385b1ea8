import { Body, Controller, Param, Post } from '@nestjs/common';
import { OfflinePaymentRequestDto } from '../../generated/request-dtos';
import { Auth, STAFF_ROLES } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { OfflinePaymentsService } from '../payments/offline-payments.service';
import { InvoiceRecordsService } from './invoice-records.service';

/** `POST /invoices/{id}/payments`: money received outside the card flow, recorded by staff. */
@Controller('invoices')
export class InvoicePaymentsController {
  constructor(
    private readonly records: InvoiceRecordsService,
    private readonly offline: OfflinePaymentsService,
  ) {}

  @Auth('invoices', 'write', { roles: STAFF_ROLES })
  @Post(':id/payments')
  async record(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: OfflinePaymentRequestDto) {
    const invoice = await this.records.getOrThrow(ctx, id);
    return this.offline.record(ctx, 'invoice', invoice.id, {
      amount: body.amount, currency: invoice.currency, method: body.method, reference: body.reference, paidAt: body.paid_at ? new Date(body.paid_at) : undefined,
    });
  }
}
