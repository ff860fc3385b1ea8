import { Controller, Get, Param, Query } from '@nestjs/common';
import { ListCategoriesQueryDto, ListSubscriptionTiersQueryDto } from '../../generated/request-dtos';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { pageQueryOf } from '../../platform/pagination/page-query';
import { ProductsService } from './products.service';

/** Catalog routes outside `/products`: a subscription's tiers by label, and the category list. */
@Controller()
export class CatalogController {
  constructor(private readonly products: ProductsService) {}

  @Auth('products', 'read')
  @Get('tiers/:subscription_label_name')
  tiersByLabel(@Ctx() ctx: RequestContext, @Param('subscription_label_name') labelName: string, @Query() query: ListSubscriptionTiersQueryDto) {
    return this.products.pageTiersByLabel(ctx, labelName, pageQueryOf(query));
  }

  @Auth('products', 'read')
  @Get('categories')
  categories(@Ctx() ctx: RequestContext, @Query() query: ListCategoriesQueryDto) {
    return this.products.categories(ctx, pageQueryOf(query));
  }
}
