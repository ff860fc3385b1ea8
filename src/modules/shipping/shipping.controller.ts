import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ListShippingCarriersQueryDto, ListShippingZonesQueryDto, ShippingRatesRequestDto, ShippingZoneRequestDto, UpdateShippingSettingsRequestDto,
} from '../../generated/request-dtos';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { pageQueryOf } from '../../platform/pagination/page-query';
import { ShippingConfigService } from './shipping-config.service';
import { ShippingRatesService } from './shipping-rates.service';

@Controller('shipping')
export class ShippingController {
  constructor(
    private readonly rates: ShippingRatesService,
    private readonly config: ShippingConfigService,
  ) {}

  @Auth('shipping', 'read')
  @IdempotencyOutsideTransaction() // a live carrier quotes over the network
  @Post('rates')
  @HttpCode(200)
  quote(@Ctx() ctx: RequestContext, @Body() body: ShippingRatesRequestDto) {
    return this.rates.rates(ctx, body);
  }

  @Auth('shipping', 'read')
  @Get('carriers')
  carriers(@Ctx() ctx: RequestContext, @Query() query: ListShippingCarriersQueryDto) {
    return this.rates.listCarriers(ctx, pageQueryOf(query));
  }

  @Auth('shipping', 'write', { roles: ADMIN_ROLES })
  @Post('carriers/:carrier/webhook-secret')
  @HttpCode(200)
  webhookSecret(@Ctx() ctx: RequestContext, @Param('carrier') carrier: string) {
    return this.rates.webhookSecret(ctx, carrier);
  }

  @Auth('shipping', 'read')
  @Get('zones')
  zones(@Ctx() ctx: RequestContext, @Query() query: ListShippingZonesQueryDto) {
    return this.config.listZones(ctx, pageQueryOf(query));
  }

  @Auth('shipping', 'write')
  @Post('zones')
  createZone(@Ctx() ctx: RequestContext, @Body() body: ShippingZoneRequestDto) {
    return this.config.createZone(ctx, body);
  }

  @Auth('shipping', 'read')
  @Get('zones/:id')
  zone(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.config.getZone(ctx, id);
  }

  @Auth('shipping', 'write')
  @Put('zones/:id')
  replaceZone(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: ShippingZoneRequestDto) {
    return this.config.replaceZone(ctx, id, body);
  }

  @Auth('shipping', 'write')
  @Delete('zones/:id')
  @HttpCode(204)
  deleteZone(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.config.deleteZone(ctx, id);
  }

  @Auth('shipping', 'read')
  @Get('settings')
  settings(@Ctx() ctx: RequestContext) {
    return this.config.settings(ctx);
  }

  @Auth('shipping', 'write')
  @Patch('settings')
  updateSettings(@Ctx() ctx: RequestContext, @Body() body: UpdateShippingSettingsRequestDto) {
    return this.config.updateSettings(ctx, body);
  }
}
