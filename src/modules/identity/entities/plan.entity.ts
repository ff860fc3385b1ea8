import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, UpdatedAt } from '../../../database/columns';

/** A rate-limit plan: shared reference data (no tenant), edited by operators; tenants name one in `tenants.plan`. */
@Entity('plans')
export class PlanEntity {
  @IdColumn() id: string;
  @Index('uq_plans_name', { unique: true })
  @Column({ type: 'text' })
  name: string;
  /** Null per minute = the configured default; null per hour or day = no cap in that window. */
  @Column({ name: 'reads_per_minute', type: 'integer', nullable: true }) readsPerMinute: number | null;
  @Column({ name: 'reads_per_hour', type: 'integer', nullable: true }) readsPerHour: number | null;
  @Column({ name: 'reads_per_day', type: 'integer', nullable: true }) readsPerDay: number | null;
  @Column({ name: 'writes_per_minute', type: 'integer', nullable: true }) writesPerMinute: number | null;
  @Column({ name: 'writes_per_hour', type: 'integer', nullable: true }) writesPerHour: number | null;
  @Column({ name: 'writes_per_day', type: 'integer', nullable: true }) writesPerDay: number | null;
  @Column({ name: 'burst_factor', type: 'double precision', default: 2 }) burstFactor: number;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
