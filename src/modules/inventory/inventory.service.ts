import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import { checkedAdd, INT4_RANGE } from '../../platform/money/checked-arithmetic';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { InitialStock } from '../catalog/initial-stock.port';
import { ProductsService } from '../catalog/products.service';
import { EventsService } from '../events/events.service';
import { alertCrossingEvents, alertStateFor } from './alert-crossing';
import type { LocationEntity } from './entities/location.entity';
import type { StockAlertEntity } from './entities/stock-alert.entity';
import type { MovementKind } from './entities/stock-movement.entity';
import { InventoryRepository, type LevelKey, type MovementFilters } from './inventory.repository';
import { toAlert, toInventory, toLocation, toMovement } from './inventory.mappers';
import { isUniqueViolation } from '../../platform/errors/unique-violation';

/** One line of an order (or anything else) that holds stock. */
export interface StockLine {
  productId: string;
  variantId: string | null;
  quantity: number;
}

/** Where a line's units were reserved, released or committed. */
export interface StockAllocation {
  productId: string;
  variantId: string | null;
  locationId: string;
  quantity: number;
}

/**
 * Stock levels, the movements ledger and low-stock alerts. Every change of a level is one guarded
 * UPDATE (the database decides, never a read in Node), one ledger row, and the alert evaluation,
 * all in one transaction. Orders call `reserve`, `release` and `commit` inside their own
 * transaction; each joins it.
 */
@Injectable()
export class InventoryService implements InitialStock {
  constructor(
    private readonly repo: InventoryRepository,
    private readonly tx: TransactionService,
    private readonly products: ProductsService,
    private readonly events: EventsService,
  ) {}

  // --- locations
  async listLocations(ctx: RequestContext, page: PageQuery, order: SortOrder): Promise<Page<Schemas['Location']>> {
    return (await this.repo.listLocations(ctx, page, order)).map(toLocation);
  }

  async createLocation(ctx: RequestContext, body: Schemas['CreateLocationRequest']): Promise<Schemas['Location']> {
    try {
      const location = await this.tx.run(ctx, (txCtx) =>
        this.repo.insertLocation(txCtx, {
          id: newId('loc'),
          name: body.name,
          code: body.code ?? null,
          address: body.address ? { ...body.address } : null,
        }),
      );
      return toLocation(location);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`A location with code '${body.code}' already exists`, 'code');
      throw err;
    }
  }

  // --- levels
  async get(ctx: RequestContext, productId: string): Promise<Schemas['Inventory']> {
    const product = await this.products.getForSale(ctx, productId);
    return toInventory(product.id, await this.repo.levelsOfProduct(ctx, product.id));
  }

  /**
   * Adds or removes units on hand at one location. Refused with 409 when it would leave on_hand
   * below what is reserved there (and so below zero); the guard is in the UPDATE's WHERE clause.
   */
  async adjust(ctx: RequestContext, productId: string, body: Schemas['AdjustInventoryRequest']): Promise<Schemas['Inventory']> {
    const product = await this.products.getForSale(ctx, productId, body.variant_id);
    const location = await this.resolveLocation(ctx, body.location);
    return this.tx.run(ctx, async (txCtx) => {
      const key: LevelKey = { productId: product.id, variantKey: product.variantId ?? '', locationId: location.id };
      await this.repo.ensureLevel(txCtx, key);
      const level = await this.repo.addOnHand(txCtx, key, body.quantity);
      if (!level) {
        const current = await this.repo.findLevel(txCtx, key);
        // Too much is bad input (422 naming quantity); too little is a conflict with the stock (409).
        checkedAdd(current?.onHand ?? 0, body.quantity, 'quantity', INT4_RANGE, 'the resulting on_hand');
        const available = current ? current.onHand - current.reserved : 0;
        throw new ConflictError(
          `Not enough stock at location ${location.id}: cannot remove ${-body.quantity} ` +
            `of ${product.variantId ?? product.id}, ${available} available`,
          'quantity',
        );
      }
      await this.record(txCtx, key, 'adjustment', body.reason, body.quantity, 0, body.note ?? null, null);
      await this.products.shiftStock(txCtx, product.id, body.quantity);
      await this.evaluateAlerts(txCtx, product.id, [location.id]);
      return toInventory(product.id, await this.repo.levelsOfProduct(txCtx, product.id));
    });
  }

  /** Catalog's INITIAL_STOCK: a new variant's `inventory`, received at the tenant's oldest location (422 when there is none). */
  async receiveInitialStock(ctx: RequestContext, productId: string, variantId: string, quantity: number): Promise<void> {
    const [location] = await this.repo.firstLocations(ctx, 1);
    if (!location) {
      throw new ValidationError('inventory needs a location to receive it: create one first (POST /locations)', [{ field: 'inventory', message: 'no location to receive it' }]);
    }
    await this.adjust(ctx, productId, { quantity, reason: 'received', location: location.id, variant_id: variantId, note: 'Initial stock' });
  }

  async listMovements(
    ctx: RequestContext,
    productId: string,
    page: PageQuery,
    order: SortOrder,
    filters: { locationId?: string; variantId?: string },
  ): Promise<Page<Schemas['StockMovement']>> {
    const product = await this.products.getForSale(ctx, productId);
    const repoFilters: MovementFilters = { locationId: filters.locationId, variantKey: filters.variantId };
    return (await this.repo.listMovements(ctx, product.id, page, order, repoFilters)).map(toMovement);
  }

  // --- alerts
  async listAlerts(ctx: RequestContext, productId: string, page: PageQuery, order: SortOrder): Promise<Page<Schemas['StockAlert']>> {
    const product = await this.products.getForSale(ctx, productId);
    return (await this.repo.listAlerts(ctx, product.id, page, order)).map(toAlert);
  }

  /** A new alert starts in the current state, without an event: it reports crossings from now on. */
  async createAlert(ctx: RequestContext, productId: string, body: Schemas['CreateStockAlertRequest']): Promise<Schemas['StockAlert']> {
    const product = await this.products.getForSale(ctx, productId);
    const locationId = body.location_id === undefined ? null : (await this.findLocation(ctx, body.location_id)).id;
    return this.tx.run(ctx, async (txCtx) => {
      const available = await this.repo.availableOfProduct(txCtx, product.id, locationId);
      const alert = await this.repo.insertAlert(txCtx, {
        id: newId('alrt'),
        productId: product.id,
        locationId,
        threshold: body.threshold,
        state: alertStateFor(available, body.threshold),
      });
      return toAlert(alert);
    });
  }

  async deleteAlert(ctx: RequestContext, productId: string, id: string): Promise<void> {
    const product = await this.products.getForSale(ctx, productId);
    const deleted = await this.tx.run(ctx, (txCtx) => this.repo.deleteAlert(txCtx, product.id, parseIdOr404(id, 'alrt', 'alert')));
    if (!deleted) throw new NotFoundError('alert', id);
  }

  // --- for the orders module
  /**
   * Reserves every line inside the caller's transaction. Each line is reserved at ONE location:
   * the one with the most available units that has at least the line's quantity (a line is not
   * split across locations). Short → ConflictError naming the product (and variant), with
   * `field` `items[i].quantity` for the line's index; the caller's transaction then rolls back.
   * `newReference`: the caller created the reference in this very transaction (a new order id), so
   * no other transaction can see it, let alone release or commit it, before this one commits: the
   * reference lock would guard against nobody and is skipped.
   */
  async reserve(ctx: RequestContext, lines: StockLine[], reference: string, opts: { newReference?: boolean } = {}): Promise<StockAllocation[]> {
    assertLines(lines, reference);
    return this.tx.run(ctx, async (txCtx) => {
      if (!opts.newReference) await this.repo.lockReference(txCtx, reference);
      const allocations: StockAllocation[] = [];
      const withoutAlerts = new Set<string>();
      for (const { line, index } of inLockOrder(lines)) {
        const variantKey = line.variantId ?? '';
        // One round trip in the common case (pick + guarded UPDATE + movement); the loop below only
        // runs when that found nothing, to tell "raced on the best location" from "short".
        const fast = await this.repo.reserveAtBest(txCtx, line.productId, variantKey, line.quantity, { id: newId('mov'), reference });
        if (fast && !fast.productHasAlerts) withoutAlerts.add(line.productId);
        let reservedAt: string | null = fast?.locationId ?? null;
        for (const candidate of reservedAt ? [] : await this.repo.candidatesFor(txCtx, line.productId, variantKey, line.quantity)) {
          const key = { productId: line.productId, variantKey, locationId: candidate.locationId };
          // Another order may have taken the units since the candidates were read: the guard decides.
          if (await this.repo.reserve(txCtx, key, line.quantity)) {
            await this.record(txCtx, key, 'reservation', null, 0, line.quantity, null, reference);
            reservedAt = key.locationId;
            break;
          }
        }
        if (!reservedAt) {
          const what = line.variantId ? `product ${line.productId} (variant ${line.variantId})` : `product ${line.productId}`;
          const message = `Not enough stock for ${what}: ${line.quantity} requested and no location has that many available`;
          throw new ConflictError(message, `items[${index}].quantity`, [{ field: `items[${index}].quantity`, message }]);
        }
        allocations.push({ productId: line.productId, variantId: line.variantId, locationId: reservedAt, quantity: line.quantity });
      }
      await this.shiftProductStock(txCtx, allocations, -1);
      // A product with no alert has nothing to evaluate: skip its alert read (checked in the reserving statement).
      await this.evaluateAlertsOf(txCtx, allocations.filter((a) => !withoutAlerts.has(a.productId)));
      return allocations;
    });
  }

  /** Gives back units the reference reserved (e.g. a cancelled order). More than it holds → ConflictError. */
  async release(ctx: RequestContext, lines: StockLine[], reference: string): Promise<StockAllocation[]> {
    return this.settle(ctx, lines, reference, 'release');
  }

  /**
   * Turns units the reference reserved into a sale: on_hand and reserved both drop. More than it
   * holds → ConflictError. `note` names what shipped them (a shipment id) in the ledger.
   */
  async commit(ctx: RequestContext, lines: StockLine[], reference: string, opts: { note?: string } = {}): Promise<StockAllocation[]> {
    return this.settle(ctx, lines, reference, 'commit', opts.note ?? null);
  }

  /**
   * Undoes commits of the reference at the locations they took from (a shipment cancelled before
   * pickup): on_hand and reserved both grow back, so what is available does not change.
   */
  async uncommit(ctx: RequestContext, allocations: StockAllocation[], reference: string, note: string): Promise<void> {
    assertLines(allocations, reference);
    await this.tx.run(ctx, async (txCtx) => {
      await this.repo.lockReference(txCtx, reference);
      for (const { line } of inLockOrder(allocations)) {
        const a = line as StockAllocation;
        const key = { productId: a.productId, variantKey: a.variantId ?? '', locationId: a.locationId };
        if (!(await this.repo.uncommit(txCtx, key, a.quantity))) {
          throw new ConflictError(`Stock of ${a.productId} at ${a.locationId} cannot take back ${a.quantity} unit(s)`);
        }
        await this.record(txCtx, key, 'commit_reversal', 'shipment_cancelled', a.quantity, a.quantity, note, reference);
      }
    });
  }

  private async settle(ctx: RequestContext, lines: StockLine[], reference: string, kind: 'release' | 'commit', note: string | null = null): Promise<StockAllocation[]> {
    assertLines(lines, reference);
    return this.tx.run(ctx, async (txCtx) => {
      await this.repo.lockReference(txCtx, reference);
      const allocations: StockAllocation[] = [];
      for (const { line, index } of inLockOrder(lines)) {
        const variantKey = line.variantId ?? '';
        const held = await this.repo.reservedByReference(txCtx, reference, line.productId, variantKey);
        const total = held.reduce((n, h) => n + h.reserved, 0);
        const what = line.variantId ? `product ${line.productId} (variant ${line.variantId})` : `product ${line.productId}`;
        if (total < line.quantity) {
          const message = `${reference} holds ${total} reserved of ${what}, cannot ${kind} ${line.quantity}`;
          throw new ConflictError(message, `items[${index}].quantity`, [{ field: `items[${index}].quantity`, message }]);
        }
        let remaining = line.quantity;
        for (const h of held) {
          if (remaining === 0) break;
          const take = Math.min(h.reserved, remaining);
          const key = { productId: line.productId, variantKey, locationId: h.locationId };
          const level = kind === 'release' ? await this.repo.release(txCtx, key, take) : await this.repo.commit(txCtx, key, take);
          if (!level) throw new ConflictError(`Stock of ${what} at ${h.locationId} no longer holds ${take} reserved`);
          await this.record(txCtx, key, kind, kind === 'commit' ? 'sold' : null, kind === 'commit' ? -take : 0, -take, note, reference);
          allocations.push({ productId: line.productId, variantId: line.variantId, locationId: h.locationId, quantity: take });
          remaining -= take;
        }
      }
      // A commit takes units off on_hand and reserved alike: what is available does not change.
      if (kind === 'release') await this.shiftProductStock(txCtx, allocations, 1);
      await this.evaluateAlertsOf(txCtx, allocations);
      return allocations;
    });
  }

  // --- internals
  /**
   * Moves each product's `stock` by what its levels' available units just moved (`sign` × the
   * allocated quantities), once per product in id order. Always after the levels: every transaction
   * locks stock levels before product rows, so two of them never wait on each other in a cycle.
   */
  private async shiftProductStock(ctx: RequestContext, allocations: StockAllocation[], sign: 1 | -1): Promise<void> {
    const byProduct = new Map<string, number>();
    for (const a of allocations) byProduct.set(a.productId, (byProduct.get(a.productId) ?? 0) + sign * a.quantity);
    for (const productId of [...byProduct.keys()].sort()) await this.products.shiftStock(ctx, productId, byProduct.get(productId)!);
  }

  private async record(
    ctx: RequestContext,
    key: LevelKey,
    kind: MovementKind,
    reason: string | null,
    onHandDelta: number,
    reservedDelta: number,
    note: string | null,
    reference: string | null,
  ): Promise<void> {
    await this.repo.insertMovement(ctx, {
      id: newId('mov'),
      productId: key.productId,
      variantKey: key.variantKey,
      locationId: key.locationId,
      kind,
      reason,
      quantityOnHandDelta: onHandDelta,
      quantityReservedDelta: reservedDelta,
      note,
      reference,
    });
  }

  private async evaluateAlertsOf(ctx: RequestContext, allocations: StockAllocation[]): Promise<void> {
    const byProduct = new Map<string, Set<string>>();
    for (const a of allocations) byProduct.set(a.productId, (byProduct.get(a.productId) ?? new Set()).add(a.locationId));
    for (const productId of [...byProduct.keys()].sort()) await this.evaluateAlerts(ctx, productId, [...byProduct.get(productId)!]);
  }

  /**
   * Re-evaluates the product's alerts that watch the changed locations (or the total). Only a
   * change of state records an event, and the state moves with a guarded UPDATE (`WHERE state =
   * <the state read>`), so of two concurrent changes crossing the same line only one emits.
   * Which events a move records is alertCrossingEvents' rule.
   */
  private async evaluateAlerts(ctx: RequestContext, productId: string, locationIds: string[]): Promise<void> {
    const alerts = await this.repo.alertsOfProduct(ctx, productId);
    const availableAt = new Map<string, number>();
    for (const alert of alerts) {
      if (alert.locationId !== null && !locationIds.includes(alert.locationId)) continue;
      const scope = alert.locationId ?? '*';
      if (!availableAt.has(scope)) availableAt.set(scope, await this.repo.availableOfProduct(ctx, productId, alert.locationId));
      const available = availableAt.get(scope)!;
      const next = alertStateFor(available, alert.threshold);
      if (next === alert.state) continue;
      if (!(await this.repo.transitionAlert(ctx, alert.id, alert.state, next))) continue;
      const object = {
        ...toAlert({ ...alert, state: next } as StockAlertEntity),
        object: 'stock_alert',
        available,
        // What an alert e-mail or a webhook receiver needs to say which item ran low, and where.
        ...(await this.describeAlertTarget(ctx, productId, alert.locationId)),
      };
      for (const type of alertCrossingEvents(alert.state, next, alert.threshold)) await this.events.record(ctx, type, object);
    }
  }

  private async describeAlertTarget(ctx: RequestContext, productId: string, locationId: string | null) {
    const product = await this.products.getForSale(ctx, productId).catch(() => null);
    const location = locationId ? await this.repo.findLocation(ctx, locationId) : null;
    return { product_name: product?.name ?? null, sku: product?.sku ?? null, location_name: location?.name ?? null };
  }

  private findLocation(ctx: RequestContext, id: string): Promise<LocationEntity> {
    return this.repo.getLocation(ctx, parseIdOr404(id, 'loc', 'location'));
  }

  /** The named location, or the tenant's only one when none is named. */
  private async resolveLocation(ctx: RequestContext, id: string | undefined): Promise<LocationEntity> {
    if (id !== undefined) return this.findLocation(ctx, id);
    const locations = await this.repo.firstLocations(ctx, 2);
    if (locations.length === 1) return locations[0];
    const why = locations.length === 0 ? 'create a location first' : 'the tenant has several locations';
    throw new ValidationError(`location is required: ${why}`, [{ field: 'location', message: `required: ${why}` }]);
  }
}

function assertLines(lines: StockLine[], reference: string): void {
  if (!reference) throw new Error('a stock operation needs a reference (the order id)');
  lines.forEach((line, i) => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new ValidationError(`items[${i}].quantity must be a positive integer`, [{ field: `items[${i}].quantity`, message: 'must be a positive integer' }]);
    }
  });
}

/** Lines in a fixed order (product, variant) so concurrent multi-line orders lock levels in the same order. */
function inLockOrder(lines: StockLine[]): { line: StockLine; index: number }[] {
  const key = (l: StockLine) => `${l.productId}\u0000${l.variantId ?? ''}`;
  return lines.map((line, index) => ({ line, index })).sort((a, b) => (key(a.line) < key(b.line) ? -1 : key(a.line) > key(b.line) ? 1 : a.index - b.index));
}
