import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/** The hosts an invoice's `return_url` may name, per tenant and mode (a setting, one row). */
@Entity('redirect_domains')
export class RedirectDomainsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @PrimaryColumn({ type: 'text' }) mode: Mode;
  @Column({ type: 'text', array: true }) domains: string[];
  @UpdatedAt() updatedAt: Date;
}
