import { Column, Entity } from 'typeorm';
import { CreatedAt, IdColumn, UpdatedAt } from '../../../database/columns';

@Entity('tenants')
export class TenantEntity {
  @IdColumn() id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', default: 'standard' }) plan: string;
  /** Per-tenant overrides of the per-minute rate limits; null uses the defaults. */
  @Column({ name: 'rate_limit_reads', type: 'integer', nullable: true }) rateLimitReads: number | null;
  @Column({ name: 'rate_limit_writes', type: 'integer', nullable: true }) rateLimitWrites: number | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
