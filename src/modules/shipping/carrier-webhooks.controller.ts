import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CarrierTrackingUpdateDto } from '../../generated/request-dtos';
import { Public } from '../../platform/auth/auth.decorator';
import { NotFoundError } from '../../platform/errors/domain-errors';
import { rawBodyOf } from '../../platform/http/raw-body';
import { ShipmentTrackingService } from './shipment-tracking.service';

/** Carriers call this, not API clients: the signature (checked against the raw body) is the credential. */
@Controller('shipping/carriers')
export class CarrierWebhooksController {
  constructor(private readonly tracking: ShipmentTrackingService) {}

  @Public()
  @Post(':carrier/webhooks/:tenant_id/:mode')
  @HttpCode(200)
  receive(
    @Param('carrier') carrier: string,
    @Param('tenant_id') tenantId: string,
    @Param('mode') mode: string,
    @Headers('x-carrier-signature') signature: string | undefined,
    @Body() body: CarrierTrackingUpdateDto,
    @Req() request: FastifyRequest,
  ) {
    if (mode !== 'live' && mode !== 'test') throw new NotFoundError('carrier webhook endpoint', `${carrier}/${tenantId}/${mode}`);
    return this.tracking.receive(String(request.id), carrier, tenantId, mode, rawBodyOf(request), signature, body);
  }
}
