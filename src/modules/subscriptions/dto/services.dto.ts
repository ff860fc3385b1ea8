import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { Schemas } from '../../../platform/openapi/schemas';
import { BILLING_CYCLES, type BillingCycle } from '../service-status';

type CreateServiceRequest = Schemas['CreateServiceRequest'];
type UpdateServiceRequest = Schemas['UpdateServiceRequest'];

const CYCLE_MESSAGE = `billing_cycle must be one of: ${BILLING_CYCLES.join(', ')}`;

export class CreateServiceDto implements CreateServiceRequest {
  @IsString() @Length(1, 64) customer_id: string;
  @IsString() @Length(1, 64) product_id: string;
  @IsString() @Length(1, 64) tier: string;
  @IsOptional() @IsIn(BILLING_CYCLES, { message: CYCLE_MESSAGE }) billing_cycle?: BillingCycle;
  @IsOptional() @IsBoolean() activate?: boolean;
}

export class UpdateServiceDto implements UpdateServiceRequest {
  @IsOptional() @IsString() @Length(1, 64) tier?: string;
  @IsOptional() @IsIn(BILLING_CYCLES, { message: CYCLE_MESSAGE }) billing_cycle?: BillingCycle;
}
