import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, invalid, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { isUniqueViolation } from '../../platform/errors/unique-violation';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import { addYears } from './domain-expiry';
import { DOMAIN_INVOICING, type DomainInvoicingPort } from './domain-invoicing.port';
import { normalizeHostName, parseDomainName, type ParsedDomainName } from './domain-name';
import { toDomain } from './domains.mappers';
import { DomainsRepository, type DomainFilters, type DomainSort } from './domains.repository';
import type { DomainEntity } from './entities/domain.entity';
import { Registrars } from './registrars/registrars';
import { MAX_YEARS, priceTable, registrationPrice, renewalPrice, type TldPriceRow } from './tld-price-table';
import { TldPricesService } from './tld-prices.service';

/** The longest name `GET /domains/check/{name}` takes (the spec's maxLength of the path parameter). */
const MAX_CHECKED_NAME = 1000;

const yearsText = (years: number) => `${years} year${years === 1 ? '' : 's'}`;

/**
 * Domains: the check, registration, manual renewal, nameserver and auto-renew changes, and the
 * transfer-out. Registrar calls (possibly network) are made outside any transaction; the change,
 * its invoice and its event are then written in one transaction. With the sandbox nothing is lost
 * when that transaction fails after the call; an EPP adapter will also need a reconciliation of
 * registry-side changes left without their record (the registry's `<domain:info>` tells).
 */
@Injectable()
export class DomainsService {
  constructor(
    private readonly repo: DomainsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly customers: CustomersService,
    private readonly prices: TldPricesService,
    private readonly registrars: Registrars,
    private readonly clock: Clock,
    @Inject(DOMAIN_INVOICING) private readonly invoicing: DomainInvoicingPort,
  ) {}

  async check(ctx: RequestContext, rawName: string): Promise<Schemas['DomainCheck']> {
    // Past the path parameter's limit it names nothing (as a malformed path parameter does everywhere).
    if (rawName.length > MAX_CHECKED_NAME) throw new NotFoundError('domain name', `${rawName.slice(0, 40)}…`);
    const table = await this.prices.table(ctx);
    const verdict = parseDomainName(rawName, new Set(table.keys()));
    const base = { name: rawName, ascii_name: verdict.name?.ascii ?? null, unicode_name: verdict.name?.unicode ?? null, tld: verdict.name?.tld ?? null };
    if (!verdict.valid) {
      return { ...base, valid: false, available: false, reason: verdict.unsupportedTld ? 'unsupported_tld' : 'invalid', errors: verdict.errors, currency: null, prices: [] };
    }
    const row = table.get(verdict.name.tld!)!;
    const reason = await this.unavailability(ctx, verdict.name.ascii);
    return { ...base, valid: true, available: reason === null, reason, errors: [], currency: row.currency, prices: priceTable(row) };
  }

  async list(ctx: RequestContext, page: PageQuery, sort: { sort: DomainSort; order: SortOrder }, filters: DomainFilters): Promise<Page<Schemas['Domain']>> {
    const scope = ctx.customerScope;
    if (scope !== null) filters = { ...filters, customerId: filters.customerId !== undefined && filters.customerId !== scope ? '-' : scope };
    return (await this.repo.list(ctx, page, sort, filters)).map(toDomain);
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['Domain']> {
    return toDomain(await this.getOrThrow(ctx, id));
  }

  async register(ctx: RequestContext, body: Schemas['RegisterDomainRequest']): Promise<Schemas['Domain']> {
    const { name, row } = await this.registrable(ctx, body.name);
    const nameservers = normalizeNameservers(body.nameservers ?? []);
    await this.customers.getOrThrow(ctx, body.customer_id);
    const reason = await this.unavailability(ctx, name.ascii);
    if (reason === 'registered') throw new ConflictError(`${name.unicode} is already registered in this account`, 'name');
    if (reason === 'taken') throw invalid('name', `${name.unicode} is not available: it is registered elsewhere`);
    const registrar = this.registrars.forMode(ctx.mode);
    await registrar.register(name.ascii, body.years, nameservers);
    const now = this.clock.now();
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.customers.lockForNewReference(txCtx, body.customer_id);
      const id = newId('dom');
      try {
        await this.repo.insert(txCtx, {
          id, name: name.ascii, unicodeName: name.unicode, tld: name.tld!, customerId: customer.id, status: 'active',
          registrar: registrar.name, years: body.years, registeredAt: now, expiresAt: addYears(now, body.years),
          autoRenew: body.auto_renew ?? true, nameservers, latestInvoiceId: null, renewalInvoiceId: null, renewalPaidAt: null,
          expiringNoticeFor: null, transferAuthHash: null, transferRequestedAt: null,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError(`${name.unicode} is already registered in this account`, 'name');
        throw err;
      }
      const invoice = await this.invoicing.issue(txCtx, {
        customerId: customer.id, currency: row.currency,
        lines: [{ description: `Domain registration ${name.unicode}, ${yearsText(body.years)}`, quantity: 1, unit_amount: registrationPrice(row, body.years) }],
      });
      const result = toDomain(await this.repo.update(txCtx, id, { latestInvoiceId: invoice.id }));
      await this.events.record(txCtx, 'domain.registered', result);
      return result;
    });
  }

  /** Renews now for `years` from the current expiry, invoiced at the TLD's renewal price. */
  async renew(ctx: RequestContext, id: string, years: number): Promise<Schemas['Domain']> {
    const domain = await this.getOrThrow(ctx, id);
    assertManageable(domain, 'renewed');
    const expiresAt = addYears(domain.expiresAt, years);
    const limit = addYears(this.clock.now(), MAX_YEARS);
    if (expiresAt > limit) {
      throw invalid('years', `the expiry would be ${expiresAt.toISOString()}, more than ${MAX_YEARS} years from now (at most ${limit.toISOString()})`);
    }
    const row = await this.priceOf(ctx, domain);
    await this.registrars.forMode(ctx.mode).renew(domain.name, years, domain.expiresAt);
    return this.tx.run(ctx, async (txCtx) => {
      const locked = (await this.repo.findForUpdate(txCtx, domain.id))!;
      if (locked.expiresAt.getTime() !== domain.expiresAt.getTime() || locked.status === 'transfer_pending') {
        throw new ConflictError(`Domain ${domain.id} changed while it was being renewed; read it again and retry`);
      }
      const invoice = await this.invoicing.issue(txCtx, {
        customerId: domain.customerId, currency: row.currency,
        lines: [{ description: `Domain renewal ${domain.unicodeName}, ${yearsText(years)}`, quantity: years, unit_amount: renewalPrice(row, 1) }],
      });
      const result = toDomain(await this.repo.update(txCtx, domain.id, { expiresAt, status: 'active', latestInvoiceId: invoice.id }));
      await this.events.record(txCtx, 'domain.renewed', result);
      return result;
    });
  }

  async update(ctx: RequestContext, id: string, body: Schemas['UpdateDomainRequest']): Promise<Schemas['Domain']> {
    if (body.nameservers === undefined && body.auto_renew === undefined) {
      throw new ValidationError('Send nameservers or auto_renew to change', [{ field: 'nameservers', message: 'nameservers or auto_renew is required' }]);
    }
    const domain = await this.getOrThrow(ctx, id);
    assertManageable(domain, 'changed');
    const nameservers = body.nameservers === undefined ? undefined : normalizeNameservers(body.nameservers);
    if (nameservers !== undefined) await this.registrars.forMode(ctx.mode).setNameservers(domain.name, nameservers);
    return this.tx.run(ctx, async (txCtx) => {
      const locked = (await this.repo.findForUpdate(txCtx, domain.id))!;
      assertManageable(locked, 'changed');
      const changes = { ...(nameservers !== undefined ? { nameservers } : {}), ...(body.auto_renew !== undefined ? { autoRenew: body.auto_renew } : {}) };
      return toDomain(await this.repo.update(txCtx, domain.id, changes));
    });
  }

  /** Issues the auth code (returned once, stored as a SHA-256 hash) and moves the domain to `transfer_pending`. */
  async transferOut(ctx: RequestContext, id: string): Promise<Schemas['DomainTransferOut']> {
    const domain = await this.getOrThrow(ctx, id);
    assertTransferable(domain);
    const { authCode } = await this.registrars.forMode(ctx.mode).requestTransferOut(domain.name);
    return this.tx.run(ctx, async (txCtx) => {
      assertTransferable((await this.repo.findForUpdate(txCtx, domain.id))!);
      const result = toDomain(await this.repo.update(txCtx, domain.id, {
        status: 'transfer_pending', transferAuthHash: createHash('sha256').update(authCode).digest('hex'), transferRequestedAt: this.clock.now(),
      }));
      await this.events.record(txCtx, 'domain.transfer_out_requested', result);
      return { ...result, auth_code: authCode };
    });
  }

  /** The domain of this tenant and mode (and, for a customer user, of its customer), or 404. */
  private async getOrThrow(ctx: RequestContext, id: string): Promise<DomainEntity> {
    const domain = await this.repo.find(ctx, parseIdOr404(id, 'dom', 'domain'));
    const scope = ctx.customerScope;
    if (!domain || (scope !== null && domain.customerId !== scope)) throw new NotFoundError('domain', id);
    return domain;
  }

  private async registrable(ctx: RequestContext, rawName: string): Promise<{ name: ParsedDomainName; row: TldPriceRow }> {
    const table = await this.prices.table(ctx);
    const verdict = parseDomainName(rawName, new Set(table.keys()));
    if (!verdict.valid) {
      throw new ValidationError(`name: ${verdict.errors.join('; ')}`, verdict.errors.map((message) => ({ field: 'name', message })));
    }
    return { name: verdict.name, row: table.get(verdict.name.tld!)! };
  }

  private async priceOf(ctx: RequestContext, domain: DomainEntity): Promise<TldPriceRow> {
    const row = (await this.prices.table(ctx)).get(domain.tld);
    if (!row) throw new ConflictError(`.${domain.tld} is no longer sold here (no price); set one with PUT /settings/tld-prices/${domain.tld}`, 'tld');
    return row;
  }

  /** Null when the name is free; `registered` when this tenant holds it; `taken` when the registrar says so. */
  private async unavailability(ctx: RequestContext, ascii: string): Promise<'registered' | 'taken' | null> {
    if (await this.repo.existsByName(ctx, ascii)) return 'registered';
    const answer = await this.registrars.forMode(ctx.mode).check(ascii);
    return answer.available ? null : answer.reason;
  }
}

function assertManageable(domain: DomainEntity, verb: string): void {
  if (domain.status === 'transfer_pending') throw new ConflictError(`Domain ${domain.id} is transfer_pending; it cannot be ${verb}`, 'status');
}

function assertTransferable(domain: DomainEntity): void {
  if (domain.status === 'transfer_pending') {
    throw new ConflictError(`A transfer of ${domain.id} was already requested; its auth code was shown once and is not shown again`, 'status');
  }
  if (domain.status !== 'active') throw new ConflictError(`Domain ${domain.id} is ${domain.status}; only an active domain transfers out`, 'status');
}

/** 0 (the registrar's defaults) or 2–13 distinct valid host names, in ASCII. */
function normalizeNameservers(input: readonly string[]): string[] {
  const hosts = input.map((raw, index) => {
    const host = normalizeHostName(raw);
    if (host === null) throw invalid(`nameservers[${index}]`, `"${raw}" is not a valid host name (e.g. ns1.example.net)`);
    return host;
  });
  if (new Set(hosts).size !== hosts.length) throw invalid('nameservers', 'list each nameserver once');
  if (hosts.length === 1) throw invalid('nameservers', 'give at least 2 nameservers (or none for the registrar defaults)');
  return hosts;
}
