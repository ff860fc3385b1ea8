import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/** One service of a zone: weight tiers (ascending, never cheaper as they grow) in one currency. */
export interface ZoneServiceValue {
  service: string;
  name: string;
  currency: string;
  estimatedDays: number;
  tiers: { maxWeightGrams: number; amount: number }[];
  /** Per started kilogram above the last tier; null: heavier packages are not carried. */
  extraPerKg: number | null;
}

/** A zone of the built-in table-rate carrier: where it applies (countries, ISO 3166-2 regions) and its services. */
@Entity('shipping_zones')
@Index('idx_shipping_zones_created', ['tenantId', 'mode', 'createdAt', 'id'])
export class ShippingZoneEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_shipping_zones' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipping_zones' }) mode: Mode;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipping_zones' }) id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) countries: string[];
  @Column({ type: 'text', array: true, default: () => "'{}'" }) regions: string[];
  @Column({ type: 'jsonb' }) services: ZoneServiceValue[];
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
