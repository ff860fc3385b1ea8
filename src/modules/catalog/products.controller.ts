import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { boolParam, enumParam } from '../../platform/http/query-params';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { CreateProductDto, CreateTierDto, CreateVariantDto, PRODUCT_STATUSES, PRODUCT_TYPES, UpdateProductDto, UpdateTierDto, UpdateVariantDto } from './dto/catalog.dto';
import { PRODUCT_SORTS, type ProductFilters } from './products.repository';
import { ProductsService } from './products.service';

function textParam(query: Record<string, unknown>, name: string, maxLength: number): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > maxLength) throw new InvalidRequestError(`${name} must be a string of at most ${maxLength} characters`, name);
  return raw.trim() === '' ? undefined : raw.trim();
}

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Auth('products', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, PRODUCT_SORTS, { sort: 'created_at', order: 'desc' });
    const filters: ProductFilters = {
      search: textParam(query, 'search', 200),
      category: textParam(query, 'category', 100),
      status: enumParam(query, 'status', PRODUCT_STATUSES),
      active: boolParam(query, 'active'),
      type: enumParam(query, 'type', PRODUCT_TYPES),
    };
    return this.products.list(ctx, parsePageQuery(query), sort, filters);
  }

  @Auth('products', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateProductDto) {
    return this.products.create(ctx, body);
  }

  @Auth('products', 'read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') idOrSku: string) {
    return this.products.get(ctx, idOrSku);
  }

  @Auth('products', 'write')
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateProductDto) {
    return this.products.update(ctx, id, body);
  }

  /** Accepted for clients that send PUT; partial like PATCH. */
  @Auth('products', 'write')
  @Put(':id')
  replace(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateProductDto) {
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
  createVariant(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CreateVariantDto) {
    return this.products.createVariant(ctx, id, body);
  }

  @Auth('products', 'write')
  @Patch(':id/variants/:variant_id')
  updateVariant(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('variant_id') variantId: string, @Body() body: UpdateVariantDto) {
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
  listTiers(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.products.listTiers(ctx, id);
  }

  @Auth('products', 'write')
  @Post(':id/tiers')
  createTier(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CreateTierDto) {
    return this.products.createTier(ctx, id, body);
  }

  @Auth('products', 'write')
  @Patch(':id/tiers/:tier_id')
  updateTier(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('tier_id') tierId: string, @Body() body: UpdateTierDto) {
    return this.products.updateTier(ctx, id, tierId, body);
  }

  @Auth('products', 'write')
  @Delete(':id/tiers/:tier_id')
  @HttpCode(204)
  async deleteTier(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('tier_id') tierId: string): Promise<void> {
    await this.products.deleteTier(ctx, id, tierId);
  }
}
