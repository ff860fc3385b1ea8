import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUrl, Length, Matches, Max,
  MaxLength, Min, ValidateNested,
} from 'class-validator';
import type { Schemas } from '../../../platform/openapi/schemas';
import { IsDeliverableEmail } from '../../../platform/validation/email';
import { CardDto } from '../../payments/dto/payments.dto';

type CreateInvoiceLine = Schemas['CreateInvoiceLine'];
type CreateInvoiceRequest = Schemas['CreateInvoiceRequest'];
type PayInvoiceRequest = Schemas['PayInvoiceRequest'];
type RefundInvoiceRequest = Schemas['RefundInvoiceRequest'];

const CURRENCY = /^[a-z]{3}$/;
const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
export const MAX_LINES = 100;
export const MAX_QUANTITY = 1_000_000;

export class CreateInvoiceLineDto implements CreateInvoiceLine {
  @IsString() @Length(1, 500) description: string;
  @IsInt({ message: 'quantity must be a positive integer' }) @Min(1) @Max(MAX_QUANTITY) quantity: number;
  @IsInt({ message: 'unit_amount must be an integer amount in minor units' }) @Min(0) @Max(MAX_AMOUNT) unit_amount: number;
  @IsOptional() @IsString() @Length(1, 64) product_id?: string;
}

export class CreateInvoiceDto implements CreateInvoiceRequest {
  @IsOptional() @IsString() @Length(1, 64) customer_id?: string;
  @IsOptional() @IsDeliverableEmail() @MaxLength(254) customer_email?: string;
  @IsOptional() @IsString() @Length(1, 100) account_ref_id?: string;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_LINES) @ValidateNested({ each: true }) @Type(() => CreateInvoiceLineDto)
  lines?: CreateInvoiceLineDto[];
  @IsOptional() @IsString() @Length(1, 64) product_manage_id?: string;
  @IsOptional() @IsInt({ message: 'amount must be an integer amount in minor units (2500 = 25.00)' }) @Min(1) @Max(MAX_AMOUNT) amount?: number;
  @IsOptional() @IsString() @MaxLength(500) description?: string;
  @IsString() @Matches(CURRENCY, { message: 'currency must be a lower-case ISO 4217 code such as usd' }) currency: string;
  @IsOptional() @IsISO8601({ strict: true }, { message: 'due_date must be an ISO 8601 date or date-time' }) due_date?: string;
  @IsOptional() @IsBoolean() send_to_customer?: boolean;
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'return_url must be an http(s) URL' })
  @MaxLength(2000)
  return_url?: string;
  @IsOptional() @IsBoolean() draft?: boolean;
}

export class PayInvoiceDto implements PayInvoiceRequest {
  @IsOptional() @IsIn(['card'], { message: 'payment_method must be card' }) payment_method?: 'card';
  @IsOptional() @IsObject() @ValidateNested() @Type(() => CardDto) card?: CardDto;
}

export class RefundInvoiceDto implements RefundInvoiceRequest {
  @IsOptional() @IsInt({ message: 'amount must be an integer amount in minor units' }) @Min(1) @Max(MAX_AMOUNT) amount?: number;
  @IsOptional() @IsString() @MaxLength(200) reason?: string;
}
