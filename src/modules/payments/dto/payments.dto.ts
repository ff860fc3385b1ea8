import { Type } from 'class-transformer';
import {
  IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested, type ValidationOptions,
} from 'class-validator';
import type { Schemas } from '../../../platform/openapi/schemas';
import { isLuhnValid } from '../card';

type CardInput = Schemas['CardInput'];
type CreatePaymentIntentRequest = Schemas['CreatePaymentIntentRequest'];
type ConfirmPaymentRequest = Schemas['ConfirmPaymentRequest'];
type CapturePaymentRequest = Schemas['CapturePaymentRequest'];
type RefundPaymentRequest = Schemas['RefundPaymentRequest'];
type RespondDisputeRequest = Schemas['RespondDisputeRequest'];
type CloseDisputeRequest = Schemas['CloseDisputeRequest'];

const CURRENCY = /^[a-z]{3}$/;
const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** A flat object of string values with limits; messages never echo the value. */
function IsStringMap(maxKeys: number, maxKey: number, maxValue: number, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isStringMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) &&
          Object.keys(value).length <= maxKeys &&
          Object.entries(value).every(([k, v]) => k.length >= 1 && k.length <= maxKey && typeof v === 'string' && v.length <= maxValue),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an object of at most ${maxKeys} string values (keys ≤ ${maxKey}, values ≤ ${maxValue} characters)`,
      },
    },
    options,
  );
}

/** 12–19 digits passing the Luhn check. The message never contains the number. */
function IsCardNumber(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isCardNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\d{12,19}$/.test(value) && isLuhnValid(value),
        defaultMessage: () => 'number must be a card number of 12 to 19 digits that passes the Luhn check',
      },
    },
    options,
  );
}

export class CardDto implements CardInput {
  @IsCardNumber() number: string;
  @IsInt() @Min(1) @Max(12) exp_month: number;
  @IsInt() @Min(2000) @Max(9999) exp_year: number;
  @IsString() @Matches(/^\d{3,4}$/, { message: 'cvc must be 3 or 4 digits' }) cvc: string;
}

export class CreatePaymentIntentDto implements CreatePaymentIntentRequest {
  @IsInt() @Min(1) @Max(MAX_AMOUNT) amount: number;
  @IsString() @Matches(CURRENCY, { message: 'currency must be a lower-case ISO 4217 code (e.g. usd)' }) currency: string;
  @IsIn(['card']) payment_method: 'card';
  @IsOptional() @IsString() @MaxLength(64) order_id?: string;
  @IsOptional() @IsString() @MaxLength(64) invoice_id?: string;
  @IsOptional() @IsString() @MaxLength(64) customer_id?: string;
  @IsOptional() @IsIn(['automatic', 'manual']) capture_method?: Schemas['CaptureMethod'];
  @IsOptional() @ValidateNested() @Type(() => CardDto) card?: CardDto;
  @IsOptional() @IsStringMap(50, 40, 500) metadata?: Record<string, string>;
}

export class ConfirmPaymentDto implements ConfirmPaymentRequest {
  @IsOptional() @ValidateNested() @Type(() => CardDto) card?: CardDto;
}

export class CapturePaymentDto implements CapturePaymentRequest {
  @IsOptional() @IsInt() @Min(1) @Max(MAX_AMOUNT) amount?: number;
}

export class RefundPaymentDto implements RefundPaymentRequest {
  @IsOptional() @IsInt() @Min(1) @Max(MAX_AMOUNT) amount?: number;
  @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class RespondDisputeDto implements RespondDisputeRequest {
  @IsStringMap(50, 100, 5000) evidence: Record<string, string>;
}

export class CloseDisputeDto implements CloseDisputeRequest {
  @IsIn(['won', 'lost']) outcome: 'won' | 'lost';
}
