import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateLocationRequestDto, ListLocationsQueryDto } from '../../generated/request-dtos';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { InventoryService } from './inventory.service';

@Controller('locations')
export class LocationsController {
  constructor(private readonly inventory: InventoryService) {}

  @Auth('inventory', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListLocationsQueryDto) {
    const { order } = sortOf(query, { sort: 'created_at', order: 'desc' });
    return this.inventory.listLocations(ctx, pageQueryOf(query), order);
  }

  @Auth('inventory', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateLocationRequestDto) {
    return this.inventory.createLocation(ctx, body);
  }
}
