import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ListCustomerPaymentMethodsQueryDto } from '../../generated/request-dtos';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { pageQueryOf } from '../../platform/pagination/page-query';
import { CustomerPaymentMethodsService } from './customer-payment-methods.service';

@Controller('customers')
export class CustomerPaymentMethodsController {
  constructor(private readonly methods: CustomerPaymentMethodsService) {}

  @Auth('customers', 'read')
  @Get(':id/payment-methods')
  list(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: ListCustomerPaymentMethodsQueryDto) {
    return this.methods.list(ctx, id, pageQueryOf(query));
  }

  @Auth('customers', 'write')
  @Delete(':id/payment-methods/:payment_method_id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('payment_method_id') methodId: string): Promise<void> {
    await this.methods.remove(ctx, id, methodId);
  }
}
