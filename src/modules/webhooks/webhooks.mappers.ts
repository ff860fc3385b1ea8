import type { Schemas } from '../../platform/openapi/schemas';
import type { WebhookAttemptEntity } from './entities/webhook-attempt.entity';
import type { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import type { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';

export function toWebhook(w: WebhookEndpointEntity): Schemas['WebhookEndpoint'] {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    events: w.events,
    active: w.active,
    disabled_reason: w.disabledReason,
    created_at: w.createdAt.toISOString(),
    updated_at: w.updatedAt.toISOString(),
  };
}

export function toDelivery(d: WebhookDeliveryEntity, attempts: WebhookAttemptEntity[]): Schemas['WebhookDelivery'] {
  return {
    id: d.id,
    endpoint_id: d.endpointId,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    attempt_count: d.attempts,
    next_attempt_at: d.nextAttemptAt && d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    created_at: d.createdAt.toISOString(),
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      error: a.error,
      response_excerpt: a.responseExcerpt,
      created_at: a.createdAt.toISOString(),
    })),
  };
}
