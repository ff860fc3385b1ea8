import { Type } from 'class-transformer';
import {
  IsIn, IsInt, IsNotIn, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import type { Schemas } from '../../../platform/openapi/schemas';

type LocationAddressShape = Schemas['LocationAddress'];
type CreateLocationRequest = Schemas['CreateLocationRequest'];
type AdjustInventoryRequest = Schemas['AdjustInventoryRequest'];
type CreateStockAlertRequest = Schemas['CreateStockAlertRequest'];

export const ADJUSTMENT_REASONS = ['received', 'sold', 'returned', 'damaged', 'correction', 'lost', 'transfer'] as const;
const MAX_QUANTITY = 1_000_000_000;

export class LocationAddressDto implements LocationAddressShape {
  @IsOptional() @IsString() @MaxLength(200) line1?: string;
  @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @IsOptional() @IsString() @MaxLength(100) city?: string;
  @IsOptional() @IsString() @MaxLength(100) region?: string;
  @IsOptional() @IsString() @MaxLength(20) postal_code?: string;
  @IsOptional() @IsString() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code (DE, US)' }) country?: string;
}

export class CreateLocationDto implements CreateLocationRequest {
  @IsString() @Length(1, 200) name: string;
  @IsOptional() @IsString() @Length(1, 64) @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'code may hold letters, digits, _ . and -' }) code?: string;
  @IsOptional() @ValidateNested() @Type(() => LocationAddressDto) address?: LocationAddressDto;
}

export class AdjustInventoryDto implements AdjustInventoryRequest {
  @IsInt() @Min(-MAX_QUANTITY) @Max(MAX_QUANTITY) @IsNotIn([0], { message: 'quantity must not be zero' }) quantity: number;
  @IsIn(ADJUSTMENT_REASONS) reason: Schemas['AdjustmentReason'];
  @IsOptional() @IsString() @MaxLength(64) location?: string;
  @IsOptional() @IsString() @MaxLength(64) variant_id?: string;
  @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class CreateStockAlertDto implements CreateStockAlertRequest {
  @IsInt() @Min(0) @Max(MAX_QUANTITY) threshold: number;
  @IsOptional() @IsString() @MaxLength(64) location_id?: string;
}
