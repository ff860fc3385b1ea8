import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateBy,
  ValidateIf, ValidateNested, type ValidationOptions,
} from 'class-validator';
import { COUNTRY_CODE, COUNTRY_MESSAGE, PostalAddressDto } from '../../../platform/http/postal-address.dto';
import type { Schemas } from '../../../platform/openapi/schemas';
import { CUSTOMER_STATUSES } from '../entities/customer.entity';
import { IsDeliverableEmail } from '../../../platform/validation/email';

type CreateCustomerRequest = Schemas['CreateCustomerRequest'];
type UpdateCustomerRequest = Schemas['UpdateCustomerRequest'];
type CreateCustomerAddressRequest = Schemas['CreateCustomerAddressRequest'];
type UpdateCustomerAddressRequest = Schemas['UpdateCustomerAddressRequest'];

const KINDS = ['shipping', 'billing'] as const;
const ACCOUNT_REF = /^\S+$/;
const MAX_METADATA_KEYS = 50;

/** Metadata: a flat object of at most 50 string values (keys ≤ 40 chars, values ≤ 500). */
function IsStringMap(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isStringMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) &&
          Object.keys(value).length <= MAX_METADATA_KEYS &&
          Object.entries(value).every(([k, v]) => k.length >= 1 && k.length <= 40 && typeof v === 'string' && v.length <= 500),
        defaultMessage: () => `metadata must be an object of at most ${MAX_METADATA_KEYS} string values (keys ≤ 40, values ≤ 500 characters)`,
      },
    },
    options,
  );
}

/** Sent (not undefined): null is then rejected by the field's own rules. */
const sent = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;
/** Sent and not null: for fields that may be cleared with null. */
const setToValue = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined && o[field] !== null;

export class CustomerAddressDto extends PostalAddressDto implements CreateCustomerAddressRequest {
  @IsOptional() @IsIn(KINDS) kind?: Schemas['AddressKind'];
  @IsOptional() @IsBoolean() is_default?: boolean;
}

export class UpdateCustomerAddressDto implements UpdateCustomerAddressRequest {
  @ValidateIf(setToValue('first_name')) @IsString() @MaxLength(100) first_name?: string | null;
  @ValidateIf(setToValue('last_name')) @IsString() @MaxLength(100) last_name?: string | null;
  @ValidateIf(setToValue('company')) @IsString() @MaxLength(200) company?: string | null;
  @ValidateIf(sent('line1')) @IsString() @Length(1, 200) line1?: string;
  @ValidateIf(setToValue('line2')) @IsString() @MaxLength(200) line2?: string | null;
  @ValidateIf(sent('city')) @IsString() @Length(1, 100) city?: string;
  @ValidateIf(setToValue('region')) @IsString() @MaxLength(100) region?: string | null;
  @ValidateIf(setToValue('postal_code')) @IsString() @MaxLength(20) postal_code?: string | null;
  @ValidateIf(sent('country')) @IsString() @Matches(COUNTRY_CODE, { message: COUNTRY_MESSAGE }) country?: string;
  @ValidateIf(setToValue('phone')) @IsString() @MaxLength(40) phone?: string | null;
}

export class CreateCustomerDto implements CreateCustomerRequest {
  @IsDeliverableEmail() @MaxLength(320) email: string;
  @IsString() @Length(1, 100) first_name: string;
  @IsString() @Length(1, 100) last_name: string;
  @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @IsOptional() @IsString() @MaxLength(200) company?: string;
  @IsOptional() @IsString() @Length(1, 128) @Matches(ACCOUNT_REF, { message: 'account_ref_id must not contain whitespace' })
  account_ref_id?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 50, { each: true })
  tags?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => CustomerAddressDto)
  addresses?: CustomerAddressDto[];
  @IsOptional() @IsStringMap() metadata?: Record<string, string>;
}

export class UpdateCustomerDto implements UpdateCustomerRequest {
  @ValidateIf(sent('email')) @IsDeliverableEmail() @MaxLength(320) email?: string;
  @ValidateIf(sent('first_name')) @IsString() @Length(1, 100) first_name?: string;
  @ValidateIf(sent('last_name')) @IsString() @Length(1, 100) last_name?: string;
  @ValidateIf(setToValue('phone')) @IsString() @MaxLength(40) phone?: string | null;
  @ValidateIf(setToValue('company')) @IsString() @MaxLength(200) company?: string | null;
  @ValidateIf(setToValue('account_ref_id')) @IsString() @Length(1, 128) @Matches(ACCOUNT_REF, { message: 'account_ref_id must not contain whitespace' })
  account_ref_id?: string | null;
  @ValidateIf(sent('tags')) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 50, { each: true })
  tags?: string[];
  @ValidateIf(sent('metadata')) @IsStringMap() metadata?: Record<string, string>;
  @ValidateIf(sent('status')) @IsIn(CUSTOMER_STATUSES) status?: Schemas['CustomerStatus'];
}
