import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CreateShipmentRequestDto, ListShipmentsQueryDto, SimulateTrackingRequestDto } from '../../generated/request-dtos';
import { Auth } from '../../platform/auth/auth.decorator';
import { IdempotencyOutsideTransaction } from '../../platform/idempotency/idempotency-outside-transaction.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { pageQueryOf } from '../../platform/pagination/page-query';
import { ShipmentLabelsService } from './shipment-labels.service';
import { ShipmentTrackingService } from './shipment-tracking.service';
import { ShipmentsService } from './shipments.service';

/** Customer users and their client-portal tokens read and track their own orders' shipments; everything else is staff's. */
const READERS = ['owner', 'admin', 'staff', 'customer'] as const;

@Controller('shipments')
export class ShipmentsController {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly tracking: ShipmentTrackingService,
    private readonly labels: ShipmentLabelsService,
  ) {}

  @Auth('shipping', 'read', { roles: READERS })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListShipmentsQueryDto) {
    return this.shipments.list(ctx, pageQueryOf(query), { orderId: query.order_id, status: query.status });
  }

  @Auth('shipping', 'write')
  @IdempotencyOutsideTransaction() // buys or voids a label at the carrier
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateShipmentRequestDto) {
    return this.shipments.create(ctx, body);
  }

  @Auth('shipping', 'read', { roles: READERS })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.shipments.get(ctx, id);
  }

  @Auth('shipping', 'read')
  @Get(':id/label')
  async label(@Ctx() ctx: RequestContext, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const pdf = await this.labels.render(ctx, id);
    await reply.header('Content-Type', 'application/pdf').header('Content-Disposition', `inline; filename="${pdf.filename}"`).send(pdf.content);
  }

  @Auth('shipping', 'read', { roles: READERS })
  @Get(':id/track')
  track(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.tracking.track(ctx, id);
  }

  @Auth('shipping', 'write')
  @IdempotencyOutsideTransaction() // buys or voids a label at the carrier
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.shipments.cancel(ctx, id);
  }

  @Auth('shipping', 'write')
  @Post(':id/simulate')
  @HttpCode(200)
  simulate(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: SimulateTrackingRequestDto) {
    return this.tracking.simulate(ctx, id, body);
  }
}
