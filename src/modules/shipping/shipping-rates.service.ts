import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ValidationError } from '../../platform/errors/domain-errors';
import { isId, newId } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import { pageOfList } from '../../platform/pagination/list-page';
import type { PageQuery } from '../../platform/pagination/page-query';
import type { OrderShippingCharge, OrderShippingPrices, OrderShippingRequest } from '../orders/order-shipping.port';
import type { CarrierAdapter, CarrierQuote, CarrierTenantData } from './carriers/carrier-adapter';
import { CarrierRegistry } from './carriers/carrier-registry';
import { carrierWebhookSecret } from './carrier-signature';
import { DEFAULT_DIMENSIONAL_DIVISOR } from './shipping.mappers';
import { ShippingRepository } from './shipping.repository';
import { measureAll, toMeasuredPackage, type MeasuredPackage } from './units';

/** How long a quote of `POST /shipping/rates` can be charged on an order. */
const QUOTE_TTL_MS = 24 * 60 * 60 * 1000;

export function publicBaseUrl(config: Pick<AppConfig, 'PUBLIC_BASE_URL' | 'PORT'>): string {
  return (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

function byPrice(a: CarrierQuote & { carrier: string }, b: CarrierQuote & { carrier: string }): number {
  return a.amount - b.amount || a.estimatedDays - b.estimatedDays || a.carrier.localeCompare(b.carrier) || a.service.localeCompare(b.service);
}

/**
 * Rates: asks each carrier adapter for quotes on packages measured in whole grams and millimetres,
 * keeps each quote (`rate_…`) so an order can be charged exactly it, prices an order's shipping for
 * the orders module (`OrderShippingPrices`, free-shipping thresholds applied), and lists carriers.
 */
@Injectable()
export class ShippingRatesService implements OrderShippingPrices {
  constructor(
    private readonly repo: ShippingRepository,
    private readonly tx: TransactionService,
    private readonly carriers: CarrierRegistry,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'PUBLIC_BASE_URL' | 'PORT' | 'HASH_SECRET'>,
  ) {}

  async tenantData(ctx: RequestContext): Promise<CarrierTenantData> {
    const [zones, settings] = await Promise.all([this.repo.allZones(ctx), this.repo.findSettings(ctx)]);
    return { zones, dimensionalDivisor: settings?.dimensionalDivisor ?? DEFAULT_DIMENSIONAL_DIVISOR };
  }

  async origin(ctx: RequestContext): Promise<Schemas['ShippingAddress'] | null> {
    return (await this.repo.findSettings(ctx))?.origin ?? null;
  }

  async rates(ctx: RequestContext, body: Schemas['ShippingRatesRequest']): Promise<Schemas['ShippingRates']> {
    const packages = measureAll(body.packages);
    const carriers = body.carrier === undefined ? this.carriers.all() : [this.carrierOf(body.carrier, 'carrier')];
    const data = await this.tenantData(ctx);
    const request = { origin: body.origin ?? (await this.origin(ctx)), destination: body.destination, packages, currency: body.currency ?? null };
    const quotes: (CarrierQuote & { carrier: string })[] = [];
    for (const carrier of carriers) for (const q of await carrier.quote(ctx, request, data)) quotes.push({ ...q, carrier: carrier.code });
    quotes.sort(byPrice);
    const expiresAt = new Date(Date.now() + QUOTE_TTL_MS);
    const stored = quotes.map((q) => ({ ...q, id: newId('rate') }));
    await this.tx.run(ctx, (txCtx) =>
      this.repo.insertQuotes(txCtx, stored.map((q) => ({
        id: q.id, carrier: q.carrier, service: q.service, amount: q.amount, currency: q.currency,
        destinationCountry: body.destination.country, packages, expiresAt,
      }))),
    );
    return {
      packages: packages.map(toMeasuredPackage),
      options: stored.map((q) => ({
        id: q.id, carrier: q.carrier, service: q.service, service_name: q.serviceName, amount: q.amount, currency: q.currency,
        estimated_days: q.estimatedDays, billable_weight_grams: q.billableWeightGrams, expires_at: expiresAt.toISOString(),
      })),
    };
  }

  /** One service's quote for these packages (for a label), or 422 naming `field` when the carrier does not offer it there. */
  async quoteOf(
    ctx: RequestContext,
    carrier: CarrierAdapter,
    service: string,
    route: { origin: Schemas['ShippingAddress'] | null; destination: Schemas['ShippingAddress'] },
    packages: MeasuredPackage[],
    currency: string,
    field: string,
  ): Promise<CarrierQuote> {
    const quotes = await carrier.quote(ctx, { ...route, packages, currency }, await this.tenantData(ctx));
    const quote = quotes.find((q) => q.service === service);
    if (!quote) {
      const offered = quotes.map((q) => q.service).join(', ') || 'none';
      throw new ValidationError(`${carrier.code} has no service '${service}' in ${currency} for these packages to ${route.destination.country} (offered: ${offered})`, [
        { field, message: `not offered here; offered: ${offered}` },
      ]);
    }
    return quote;
  }

  /** A configured carrier named in a request body, or 422 naming the field. */
  carrierOf(code: string, field: string): CarrierAdapter {
    const carrier = this.carriers.find(code);
    if (carrier) return carrier;
    const known = this.carriers.all().map((c) => c.code).join(', ');
    throw new ValidationError(`${field} '${code}' is not a configured carrier (${known})`, [{ field, message: `one of ${known}` }]);
  }

  // --- for the orders module
  async chargeFor(ctx: RequestContext, request: OrderShippingRequest): Promise<OrderShippingCharge> {
    const { amount, method } = request.rateId !== undefined ? await this.chosenRate(ctx, request) : await this.methodRate(ctx, request);
    const threshold = (await this.repo.findSettings(ctx))?.freeShippingThresholds.find((t) => t.currency === request.currency);
    return { amount: threshold !== undefined && request.subtotal >= threshold.min_subtotal ? 0 : amount, method };
  }

  private async chosenRate(ctx: RequestContext, request: OrderShippingRequest): Promise<{ amount: number; method: string }> {
    const refuse = (message: string) => new ValidationError(`shipping_rate_id: ${message}`, [{ field: 'shipping_rate_id', message }]);
    const quote = isId(request.rateId, 'rate') ? await this.repo.findQuote(ctx, request.rateId) : null;
    if (!quote) throw refuse(`no such rate '${request.rateId}'`);
    if (quote.expiresAt.getTime() <= Date.now()) throw refuse('the rate expired; quote again');
    if (quote.currency !== request.currency) throw refuse(`the rate is in ${quote.currency}, the order in ${request.currency}`);
    if (quote.destinationCountry !== request.destination.country) {
      throw refuse(`the rate is for ${quote.destinationCountry}, the order ships to ${request.destination.country}`);
    }
    return { amount: quote.amount, method: `${quote.carrier}:${quote.service}` };
  }

  private async methodRate(ctx: RequestContext, request: OrderShippingRequest): Promise<{ amount: number; method: string }> {
    const [code, service] = (request.method ?? '').split(':');
    const carrier = this.carriers.find(code);
    if (!carrier || !service) {
      const known = this.carriers.all().map((c) => `${c.code}:<service>`).join(', ');
      throw new ValidationError(`shipping_method must name a carrier service (${known}) when shipping_packages are sent`, [
        { field: 'shipping_method', message: `a carrier service: ${known}` },
      ]);
    }
    const destination = { country: request.destination.country, region: request.destination.region ?? undefined, postal_code: request.destination.postal_code ?? undefined };
    const packages = measureAll(request.packages ?? [], 'shipping_packages');
    const quote = await this.quoteOf(ctx, carrier, service, { origin: await this.origin(ctx), destination }, packages, request.currency, 'shipping_method');
    return { amount: quote.amount, method: `${carrier.code}:${service}` };
  }

  // --- carriers
  async listCarriers(ctx: RequestContext, page: PageQuery): Promise<Page<Schemas['ShippingCarrier']>> {
    const data = await this.tenantData(ctx);
    const carriers = this.carriers.all().map((c) => ({
      code: c.code, name: c.name, kind: c.kind, dimensional_divisor: c.dimensionalDivisor(data), services: c.services(data), webhook_url: this.webhookUrl(ctx, c.code),
    }));
    return pageOfList(carriers, page, { sort: 'code', valueOf: (c) => c.code, idOf: (c) => c.code });
  }

  webhookSecret(ctx: RequestContext, code: string): Schemas['CarrierWebhookSecret'] {
    const carrier = this.carriers.get(code);
    return { carrier: carrier.code, webhook_url: this.webhookUrl(ctx, carrier.code), webhook_secret: this.secretFor(ctx.tenant, ctx.mode, carrier.code) };
  }

  secretFor(tenantId: string, mode: RequestContext['mode'], carrier: string): string {
    return carrierWebhookSecret(this.config.HASH_SECRET, tenantId, mode, carrier);
  }

  private webhookUrl(ctx: RequestContext, code: string): string {
    return `${publicBaseUrl(this.config)}/api/v1/shipping/carriers/${code}/webhooks/${ctx.tenant}/${ctx.mode}`;
  }
}
