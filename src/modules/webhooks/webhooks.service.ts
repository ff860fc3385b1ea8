import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { EVENT_TYPES, EventsService, eventFamilyOf } from '../events/events.service';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { newWebhookSecret } from './webhook-signature';
import { webhookUrlSyntaxProblem } from './webhook-url';
import type { CheckedWebhookUrl } from './webhook-url.preflight';
import { toDelivery, toWebhook } from './webhooks.mappers';
import { WebhooksRepository } from './webhooks.repository';
import type { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly deliveries: WebhookDeliveryProcessor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `url` is the preflight's proof that body.url was resolved and checked before any transaction opened. */
  async create(ctx: RequestContext, body: Schemas['CreateWebhookRequest'], url: CheckedWebhookUrl | undefined): Promise<Schemas['WebhookEndpointWithSecret']> {
    this.assertChecked(ctx, body.url, url);
    assertEvents(body.events);
    const secret = body.secret ?? newWebhookSecret();
    const endpoint = await this.tx.run(ctx, async (txCtx) => {
      await this.repo.lockEndpointCreation(txCtx);
      const cap = this.config.WEBHOOK_MAX_ENDPOINTS_PER_TENANT;
      if ((await this.repo.countEndpoints(txCtx)) >= cap) {
        throw new ValidationError(`At most ${cap} webhook endpoints per tenant and mode; delete one first`, [
          { field: 'url', message: `endpoint limit of ${cap} reached` },
        ]);
      }
      return this.repo.insertEndpoint(txCtx, {
        id: newId('we'),
        url: body.url,
        description: body.description ?? null,
        events: [...new Set(body.events)],
        secret,
        active: body.active ?? true,
        disabledReason: null,
        deletedAt: null,
      });
    });
    return { ...toWebhook(endpoint), secret };
  }

  async list(ctx: RequestContext, page: PageQuery, order: SortOrder): Promise<Page<Schemas['WebhookEndpoint']>> {
    return (await this.repo.listEndpoints(ctx, page, order)).map(toWebhook);
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['WebhookEndpoint']> {
    return toWebhook(await this.find(ctx, id));
  }

  async update(ctx: RequestContext, id: string, body: Schemas['UpdateWebhookRequest'], url?: CheckedWebhookUrl): Promise<Schemas['WebhookEndpoint']> {
    const endpoint = await this.find(ctx, id);
    if (body.url !== undefined) {
      this.assertChecked(ctx, body.url, url);
      endpoint.url = body.url;
    }
    if (body.events !== undefined) {
      assertEvents(body.events);
      endpoint.events = [...new Set(body.events)];
    }
    if (body.description !== undefined) endpoint.description = body.description;
    if (body.active !== undefined) {
      endpoint.active = body.active;
      if (body.active) endpoint.disabledReason = null;
    }
    return toWebhook(await this.repo.saveEndpoint(ctx, endpoint));
  }

  /** Deleted endpoints stop receiving at once; their delivery log stays for audit. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const endpoint = await this.find(ctx, id);
    endpoint.deletedAt = new Date();
    endpoint.active = false;
    await this.repo.saveEndpoint(ctx, endpoint);
  }

  async listDeliveries(ctx: RequestContext, id: string, page: PageQuery, order: SortOrder): Promise<Page<Schemas['WebhookDelivery']>> {
    const endpoint = await this.find(ctx, id);
    const deliveries = await this.repo.listDeliveries(ctx, endpoint.id, page, order);
    const attempts = await this.repo.attemptsOf(ctx, deliveries.items.map((d) => d.id));
    return deliveries.map((d) => toDelivery(d, attempts.filter((a) => a.deliveryId === d.id)));
  }

  /** One more attempt of a delivery, whatever its state; the receiver sees the same webhook-id. */
  async redeliver(ctx: RequestContext, id: string, deliveryId: string): Promise<Schemas['WebhookDelivery']> {
    const endpoint = await this.find(ctx, id);
    const delivery = await this.repo.getDelivery(ctx, endpoint.id, parseIdOr404(deliveryId, 'whd', 'delivery'));
    const reopened = await this.repo.reopenDelivery(ctx, delivery.id);
    await this.deliveries.enqueueAttempt(reopened.id, reopened.attempts + 1, { tenantId: ctx.tenant });
    return toDelivery(reopened, await this.repo.attemptsOf(ctx, [reopened.id]));
  }

  /** Sends a `webhook.test` event to this endpoint only. */
  async sendTest(ctx: RequestContext, id: string): Promise<Schemas['WebhookDelivery']> {
    const endpoint = await this.find(ctx, id);
    const delivery = await this.tx.run(ctx, async (txCtx) => {
      const eventId = await this.events.record(txCtx, 'webhook.test', { id: endpoint.id, object: 'webhook_endpoint', url: endpoint.url });
      return this.repo.insertDelivery(txCtx, { endpointId: endpoint.id, eventId, eventType: 'webhook.test', maxAttempts: 1 });
    });
    await this.deliveries.enqueueAttempt(delivery.id, 1, { tenantId: ctx.tenant });
    return toDelivery(delivery, []);
  }

  private find(ctx: RequestContext, id: string): Promise<WebhookEndpointEntity> {
    return this.repo.getEndpoint(ctx, parseIdOr404(id, 'we', 'webhook endpoint'));
  }

  /** No network I/O here (this may run in the request's transaction): the preflight resolved the URL. */
  private assertChecked(ctx: RequestContext, raw: string, checked: CheckedWebhookUrl | undefined): void {
    const problem = webhookUrlSyntaxProblem(raw, ctx.mode, this.config.WEBHOOK_ALLOW_PRIVATE_URLS);
    if (problem) throw new ValidationError(`url ${problem}`, [{ field: 'url', message: problem }]);
    if (!checked || checked.url !== raw || checked.mode !== ctx.mode) throw new Error('webhook url was not checked by WebhookUrlPreflight');
  }
}

/** What `events` may hold: the spec's `WebhookEventSelector` (the generated DTO checks it first; services called directly keep the rule). */
const EVENT_SELECTORS: ReadonlySet<string> = new Set(['*', ...EVENT_TYPES, ...EVENT_TYPES.map(eventFamilyOf)]);

function assertEvents(events: string[]): void {
  const unknown = events.filter((e) => !EVENT_SELECTORS.has(e));
  if (unknown.length > 0) {
    throw new ValidationError(`Unknown event type(s): ${unknown.join(', ')}`, [
      { field: 'events', message: 'each must be an event type (order.created), a family (order.*) or *' },
    ]);
  }
}
