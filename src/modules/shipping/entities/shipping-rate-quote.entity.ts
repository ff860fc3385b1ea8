import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, MoneyColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { MeasuredPackage } from '../units';

/** A rate quoted by `POST /shipping/rates`, kept so `POST /orders` can charge exactly that price until it expires. */
@Entity('shipping_rate_quotes')
@Index('idx_shipping_rate_quotes_expiry', ['expiresAt'])
export class ShippingRateQuoteEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_shipping_rate_quotes' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipping_rate_quotes' }) mode: Mode;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipping_rate_quotes' }) id: string;
  @Column({ type: 'text' }) carrier: string;
  @Column({ type: 'text' }) service: string;
  @MoneyColumn() amount: number;
  @Column({ type: 'text' }) currency: string;
  @Column({ name: 'destination_country', type: 'text' }) destinationCountry: string;
  @Column({ type: 'jsonb' }) packages: MeasuredPackage[];
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @CreatedAt() createdAt: Date;
}
