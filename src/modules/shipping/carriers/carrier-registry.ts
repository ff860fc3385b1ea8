import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../../platform/errors/domain-errors';
import type { CarrierAdapter } from './carrier-adapter';
import { SandboxCarrier } from './sandbox.carrier';
import { TableRateCarrier } from './table-rate.carrier';

/** The carriers this deployment offers. A live adapter is added to this list (see `CarrierAdapter`). */
@Injectable()
export class CarrierRegistry {
  private readonly carriers: readonly CarrierAdapter[] = [new TableRateCarrier(), new SandboxCarrier()];

  all(): readonly CarrierAdapter[] {
    return this.carriers;
  }

  /** The carrier, or 404 naming `field`'s value. */
  get(code: string): CarrierAdapter {
    const carrier = this.carriers.find((c) => c.code === code);
    if (!carrier) throw new NotFoundError('carrier', code);
    return carrier;
  }

  find(code: string): CarrierAdapter | null {
    return this.carriers.find((c) => c.code === code) ?? null;
  }
}
