import { Controller, Get, Param } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { ProductsService } from './products.service';

/** Catalog routes outside `/products`: a subscription's tiers by label, and the category list. */
@Controller()
export class CatalogController {
  constructor(private readonly products: ProductsService) {}

  @Auth('products', 'read')
  @Get('tiers/:subscription_label_name')
  tiersByLabel(@Ctx() ctx: RequestContext, @Param('subscription_label_name') labelName: string) {
    return this.products.listTiersByLabel(ctx, labelName);
  }

  @Auth('products', 'read')
  @Get('categories')
  categories(@Ctx() ctx: RequestContext) {
    return this.products.categories(ctx);
  }
}
