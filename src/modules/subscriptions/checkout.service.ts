import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Clock } from '../../platform/clock/clock';
import { RequestContext } from '../../platform/context/request-context';
import { ProductsService } from '../catalog/products.service';
import { hashToken } from './account-status.service';
import { renderCheckoutPage, renderLinkNotFound } from './checkout-page';
import { ServicesRepository } from './services.repository';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The hosted checkout page `GET /r/{token}` (outside /api, public: the token is the credential).
 * Mounted straight on Fastify because the global `/api/v1` prefix does not exclude it; in the
 * worker (no HTTP server) nothing is mounted. Unknown, malformed and expired tokens all answer the
 * same 404 page, so a token's existence is not revealed.
 */
@Injectable()
export class CheckoutService implements OnModuleInit {
  private readonly logger = new Logger('Checkout');

  constructor(
    private readonly repo: ServicesRepository,
    private readonly products: ProductsService,
    private readonly clock: Clock,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify || typeof fastify.get !== 'function') return;
    fastify.get('/r/:token', async (request, reply) => {
      const { token } = request.params as { token: string };
      let page: { status: number; html: string };
      try {
        page = await this.render(String(request.id), token);
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'checkout page failed');
        page = { status: 500, html: renderLinkNotFound() };
      }
      return reply
        .status(page.status)
        .header('Content-Type', 'text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        .send(page.html);
    });
  }

  async render(requestId: string, token: string): Promise<{ status: number; html: string }> {
    const missing = { status: 404, html: renderLinkNotFound() };
    const clean = token.replace(/\/$/, '');
    if (!TOKEN.test(clean)) return missing;
    const anon = RequestContext.anonymous(requestId);
    const link = await this.repo.findLinkByHash(anon, hashToken(clean));
    if (!link || link.expiresAt <= this.clock.now()) return missing;
    const ctx = RequestContext.system('checkout', link.tenantId, link.mode, requestId);
    const product = await this.products.get(ctx, link.productId).catch(() => null);
    if (!product) return missing;
    const tier = link.tierId ? (await this.products.listTiers(ctx, product.id)).find((t) => t.id === link.tierId) : undefined;
    if (link.tierId && !tier) return missing;
    return {
      status: 200,
      html: renderCheckoutPage({
        kind: link.kind,
        productName: product.name,
        description: tier?.description ?? product.description ?? null,
        tierName: tier?.name ?? null,
        price: tier?.price ?? product.price,
        currency: tier?.currency ?? product.currency,
        billingCycle: tier?.billing_cycle ?? null,
        features: tier?.features ?? [],
        accountRefId: link.accountRefId,
        email: link.email,
        livemode: link.mode === 'live',
        expiresAt: link.expiresAt,
      }),
    };
  }
}
