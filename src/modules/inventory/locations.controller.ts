import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { CreateLocationDto } from './dto/inventory.dto';
import { InventoryService } from './inventory.service';

@Controller('locations')
export class LocationsController {
  constructor(private readonly inventory: InventoryService) {}

  @Auth('inventory', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const { order } = parseSort(query, ['created_at'], { sort: 'created_at', order: 'desc' });
    return this.inventory.listLocations(ctx, parsePageQuery(query), order);
  }

  @Auth('inventory', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateLocationDto) {
    return this.inventory.createLocation(ctx, body);
  }
}
