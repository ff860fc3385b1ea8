import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import {
  AdjustInventoryRequestDto, CreateStockAlertRequestDto, ListStockAlertsQueryDto, ListStockMovementsQueryDto,
} from '../../generated/request-dtos';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { InventoryService } from './inventory.service';

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
  adjust(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Body() body: AdjustInventoryRequestDto) {
    return this.inventory.adjust(ctx, productId, body);
  }

  @Auth('inventory', 'read')
  @Get(':product_id/movements')
  movements(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Query() query: ListStockMovementsQueryDto) {
    const { order } = sortOf(query, { sort: 'created_at', order: 'desc' });
    const filters = { locationId: query.location_id, variantId: query.variant_id };
    return this.inventory.listMovements(ctx, productId, pageQueryOf(query), order, filters);
  }

  @Auth('inventory', 'read')
  @Get(':product_id/alerts')
  alerts(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Query() query: ListStockAlertsQueryDto) {
    const { order } = sortOf(query, { sort: 'created_at', order: 'desc' });
    return this.inventory.listAlerts(ctx, productId, pageQueryOf(query), order);
  }

  @Auth('inventory', 'write')
  @Post(':product_id/alerts')
  createAlert(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Body() body: CreateStockAlertRequestDto) {
    return this.inventory.createAlert(ctx, productId, body);
  }

  @Auth('inventory', 'write')
  @Delete(':product_id/alerts/:id')
  @HttpCode(204)
  async deleteAlert(@Ctx() ctx: RequestContext, @Param('product_id') productId: string, @Param('id') id: string): Promise<void> {
    await this.inventory.deleteAlert(ctx, productId, id);
  }
}
