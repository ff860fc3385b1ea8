import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { AdjustInventoryDto, CreateStockAlertDto } from './dto/inventory.dto';
import { InventoryService } from './inventory.service';

function stringParam(query: Record<string, unknown>, name: string): string | undefined {
  const raw = query[name];
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Auth('inventory', 'read')
  @Get(':product_id')
  get(@Ctx() ctx: RequestContext, @Param('product_id') productId: string) {
    return this.inventory.get(ctx, productId);
  }

  @Auth('inventory', 'write')
  @Post(':product_id/adjust')
  @HttpCode(200)
  adjust(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Body() body: AdjustInventoryDto) {
    return this.inventory.adjust(ctx, productId, body);
  }

  @Auth('inventory', 'read')
  @Get(':product_id/movements')
  movements(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Query() query: Record<string, unknown>) {
    const { order } = parseSort(query, ['created_at'], { sort: 'created_at', order: 'desc' });
    const filters = { locationId: stringParam(query, 'location_id'), variantId: stringParam(query, 'variant_id') };
    return this.inventory.listMovements(ctx, productId, parsePageQuery(query), order, filters);
  }

  @Auth('inventory', 'read')
  @Get(':product_id/alerts')
  alerts(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Query() query: Record<string, unknown>) {
    const { order } = parseSort(query, ['created_at'], { sort: 'created_at', order: 'desc' });
    return this.inventory.listAlerts(ctx, productId, parsePageQuery(query), order);
  }

  @Auth('inventory', 'write')
  @Post(':product_id/alerts')
  createAlert(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Body() body: CreateStockAlertDto) {
    return this.inventory.createAlert(ctx, productId, body);
  }

  @Auth('inventory', 'write')
  @Delete(':product_id/alerts/:id')
  @HttpCode(204)
  async deleteAlert(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Param('id') id: string): Promise<void> {
    await this.inventory.deleteAlert(ctx, productId, id);
  }
}
