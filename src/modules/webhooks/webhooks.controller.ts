import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { CreateWebhookRequestDto, ListWebhookDeliveriesQueryDto, ListWebhooksQueryDto, UpdateWebhookRequestDto } from '../../generated/request-dtos';
import { CheckedUrl, WebhookUrlPreflight, type CheckedWebhookUrl } from './webhook-url.preflight';
import { WebhooksService } from './webhooks.service';

@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Auth('webhooks', 'read', { roles: ADMIN_ROLES })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListWebhooksQueryDto) {
    const { order } = sortOf(query, { sort: 'created_at', order: 'desc' });
    return this.webhooks.list(ctx, pageQueryOf(query), order);
  }

  @Auth('webhooks', 'write', { roles: ADMIN_ROLES })
  @Post()
  @UseGuards(WebhookUrlPreflight)
  create(@Ctx() ctx: RequestContext, @Body() body: CreateWebhookRequestDto, @CheckedUrl() url: CheckedWebhookUrl | undefined) {
    return this.webhooks.create(ctx, body, url);
  }

  @Auth('webhooks', 'read', { roles: ADMIN_ROLES })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.webhooks.get(ctx, id);
  }

  @Auth('webhooks', 'write', { roles: ADMIN_ROLES })
  @Patch(':id')
  @UseGuards(WebhookUrlPreflight)
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateWebhookRequestDto, @CheckedUrl() url: CheckedWebhookUrl | undefined) {
    return this.webhooks.update(ctx, id, body, url);
  }

  @Auth('webhooks', 'write', { roles: ADMIN_ROLES })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.webhooks.remove(ctx, id);
  }

  @Auth('webhooks', 'read', { roles: ADMIN_ROLES })
  @Get(':id/deliveries')
  deliveries(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: ListWebhookDeliveriesQueryDto) {
    const { order } = sortOf(query, { sort: 'created_at', order: 'desc' });
    return this.webhooks.listDeliveries(ctx, id, pageQueryOf(query), order);
  }

  @Auth('webhooks', 'write', { roles: ADMIN_ROLES })
  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  redeliver(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return this.webhooks.redeliver(ctx, id, deliveryId);
  }

  @Auth('webhooks', 'write', { roles: ADMIN_ROLES })
  @Post(':id/test')
  @HttpCode(202)
  test(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.webhooks.sendTest(ctx, id);
  }
}
