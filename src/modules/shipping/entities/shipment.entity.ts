import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, MoneyColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { Schemas } from '../../../platform/openapi/schemas';
import type { ShipmentStatus, TrackingSource } from '../shipment-status';
import type { MeasuredPackage } from '../units';

/** A line's units in a shipment, and where their stock was committed (to put it back on cancel). */
export interface ShipmentItemValue {
  lineId: string;
  productId: string;
  variantId: string | null;
  sku: string;
  quantity: number;
}

export interface StockAllocationValue {
  productId: string;
  variantId: string | null;
  locationId: string;
  quantity: number;
}

/** A parcel (or several) of an order's units sent with one carrier service. */
@Entity('shipments')
@Index('idx_shipments_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_shipments_order', ['tenantId', 'mode', 'orderId'])
@Index('idx_shipments_customer', ['tenantId', 'mode', 'customerId', 'createdAt', 'id'])
@Index('uq_shipments_tracking', ['tenantId', 'mode', 'carrier', 'trackingNumber'], { unique: true })
export class ShipmentEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_shipments' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipments' }) mode: Mode;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipments' }) id: string;
  @Column({ name: 'order_id', type: 'text' }) orderId: string;
  /** The order's customer, copied at creation: what customer users' reads filter on. */
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) status: ShipmentStatus;
  @Column({ type: 'text' }) carrier: string;
  @Column({ type: 'text' }) service: string;
  @Column({ name: 'tracking_number', type: 'text' }) trackingNumber: string;
  @Column({ type: 'jsonb' }) items: ShipmentItemValue[];
  @Column({ type: 'jsonb' }) allocations: StockAllocationValue[];
  @Column({ type: 'jsonb' }) packages: MeasuredPackage[];
  @Column({ name: 'ship_from', type: 'jsonb', nullable: true }) shipFrom: Schemas['ShippingAddress'] | null;
  @Column({ name: 'ship_to', type: 'jsonb' }) shipTo: Schemas['ShippingAddress'];
  @MoneyColumn({ name: 'insurance_value', nullable: true }) insuranceValue: number | null;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'signature_required', type: 'boolean', default: false }) signatureRequired: boolean;
  @MoneyColumn({ name: 'rate_amount' }) rateAmount: number;
  @Column({ name: 'in_transit_at', type: 'timestamptz', precision: 3, nullable: true }) inTransitAt: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', precision: 3, nullable: true }) cancelledAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

/** The tracking history of a shipment. `carrier_event_id` makes a carrier's redelivered update apply once. */
@Entity('shipment_events')
@Index('idx_shipment_events_shipment', ['tenantId', 'mode', 'shipmentId', 'occurredAt'])
@Index('uq_shipment_events_carrier_event', ['tenantId', 'mode', 'shipmentId', 'carrierEventId'], { unique: true, where: 'carrier_event_id IS NOT NULL' })
export class ShipmentEventEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_shipment_events' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipment_events' }) mode: Mode;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipment_events' }) id: string;
  @Column({ name: 'shipment_id', type: 'text' }) shipmentId: string;
  @Column({ type: 'text' }) status: ShipmentStatus;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'text', nullable: true }) location: string | null;
  @Column({ type: 'text' }) source: TrackingSource;
  @Column({ name: 'carrier_event_id', type: 'text', nullable: true }) carrierEventId: string | null;
  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 }) occurredAt: Date;
  @CreatedAt() createdAt: Date;
}
