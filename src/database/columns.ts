import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintMoney } from '../platform/money/money';

/**
 * Timestamps keep millisecond precision so they round-trip through JSON and cursors unchanged
 * (keyset paging compares the exact value a cursor carries).
 */
export const CreatedAt = () => CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 });
export const UpdatedAt = () => UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 });
export const IdColumn = () => PrimaryColumn({ type: 'text' });
export const TenantColumn = () => Column({ name: 'tenant_id', type: 'text' });
export const ModeColumn = () => Column({ type: 'text' });
/** Integer minor units in a bigint column, read back as a safe JS integer. */
export const MoneyColumn = (options: { name?: string; nullable?: boolean; default?: number } = {}) =>
  Column({ type: 'bigint', transformer: bigintMoney, ...options });
