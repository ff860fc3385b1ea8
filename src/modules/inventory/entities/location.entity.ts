import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { Schemas } from '../../../platform/openapi/schemas';

/** A place that holds stock (a warehouse, a shop's back room), per tenant and mode. */
@Entity('locations')
@Index('uq_locations_tenant_mode_code', ['tenantId', 'mode', 'code'], { unique: true })
@Index('idx_locations_tenant_created', ['tenantId', 'mode', 'createdAt', 'id'])
export class LocationEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) name: string;
  /** The short code people use for the location (`BER-1`); unique per tenant and mode when set. */
  @Column({ type: 'text', nullable: true }) code: string | null;
  @Column({ type: 'jsonb', nullable: true }) address: Schemas['LocationAddress'] | null;
  @CreatedAt() createdAt: Date;
}
