import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import {
  CreateProductRequestDto, CreateTierRequestDto, CreateVariantRequestDto, ListProductsQueryDto, ListProductTiersQueryDto,
  UpdateProductRequestDto, UpdateTierRequestDto, UpdateVariantRequestDto,
} from '../../generated/request-dtos';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Auth('products', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListProductsQueryDto) {
    const { search, category, status, active, type } = query;
    return this.products.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), { search, category, status, active, type });
  }

  @Auth('products', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateProductRequestDto) {
    return this.products.create(ctx, body);
  }

  @Auth('products', 'read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') idOrSku: string) {
    return this.products.get(ctx, idOrSku);
  }

  @Auth('products', 'write')
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateProductRequestDto) {
    return this.products.update(ctx, id, body);
  }

  /** Accepted for clients that send PUT; partial like PATCH. */
  @Auth('products', 'write')
  @Put(':id')
  replace(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateProductRequestDto) {
    return this.products.update(ctx, id, body);
  }

  @Auth('products', 'write')
  @Delete(':id')
  @HttpCode(204)
  async archive(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.products.archive(ctx, id);
  }

  @Auth('products', 'write')
  @Post(':id/variants')
  createVariant(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CreateVariantRequestDto) {
    return this.products.createVariant(ctx, id, body);
  }

  @Auth('products', 'write')
  @Patch(':id/variants/:variant_id')
  updateVariant(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('variant_id') variantId: string, @Body() body: UpdateVariantRequestDto) {
    return this.products.updateVariant(ctx, id, variantId, body);
  }

  @Auth('products', 'write')
  @Delete(':id/variants/:variant_id')
  @HttpCode(204)
  async deleteVariant(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('variant_id') variantId: string): Promise<void> {
    await this.products.deleteVariant(ctx, id, variantId);
  }

  @Auth('products', 'read')
  @Get(':id/tiers')
  listTiers(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: ListProductTiersQueryDto) {
    return this.products.pageTiers(ctx, id, pageQueryOf(query));
  }

  @Auth('products', 'write')
  @Post(':id/tiers')
  createTier(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CreateTierRequestDto) {
    return this.products.createTier(ctx, id, body);
  }

  @Auth('products', 'write')
  @Patch(':id/tiers/:tier_id')
  updateTier(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('tier_id') tierId: string, @Body() body: UpdateTierRequestDto) {
    return this.products.updateTier(ctx, id, tierId, body);
  }

  @Auth('products', 'write')
  @Delete(':id/tiers/:tier_id')
  @HttpCode(204)
  async deleteTier(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('tier_id') tierId: string): Promise<void> {
    await this.products.deleteTier(ctx, id, tierId);
  }
}
