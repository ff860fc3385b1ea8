import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { labelLayout } from './label-layout';
import { renderLabelPdf } from './label-pdf';
import { ShipmentsService } from './shipments.service';

/** `GET /shipments/{id}/label`: the label drawn from the stored shipment, the same bytes every time it is asked for. */
@Injectable()
export class ShipmentLabelsService {
  constructor(private readonly shipments: ShipmentsService) {}

  async render(ctx: RequestContext, id: string): Promise<{ filename: string; content: Buffer }> {
    const shipment = await this.shipments.getOrThrow(ctx, id);
    return { filename: `label-${shipment.id}.pdf`, content: await renderLabelPdf(labelLayout(shipment), shipment.createdAt) };
  }
}
