import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min,
  ValidateIf, ValidateNested,
} from 'class-validator';
import { PostalAddressDto } from '../../../platform/http/postal-address.dto';
import type { Schemas } from '../../../platform/openapi/schemas';
import { ORDER_STATUSES, type OrderStatus } from '../order-status';

type OrderAddress = Schemas['OrderAddress'];
type CreateOrderItem = Schemas['CreateOrderItem'];
type CreateOrderRequest = Schemas['CreateOrderRequest'];
type UpdateOrderStatusRequest = Schemas['UpdateOrderStatusRequest'];
type CancelOrderRequest = Schemas['CancelOrderRequest'];

const CURRENCY = /^[a-z]{3}$/;
export const MAX_ITEMS = 100;
export const MAX_QUANTITY = 100_000;

export class OrderAddressDto extends PostalAddressDto implements OrderAddress {}

/**
 * One line to order. Prices come from the catalog: a `price` or `unit_price` sent by the client
 * (as the commerce seed's example does) is accepted for compatibility and ignored.
 */
export class CreateOrderItemDto implements CreateOrderItem {
  @IsString() @Length(1, 64) product_id: string;
  @ValidateIf((o: Record<string, unknown>) => o.variant_id !== undefined && o.variant_id !== null) @IsString() @Length(1, 64)
  variant_id?: string | null;
  @IsInt({ message: 'quantity must be a positive integer' }) @Min(1) @Max(MAX_QUANTITY) quantity: number;
  /** Ignored: the catalog prices the line. */
  @IsOptional() price?: unknown;
  /** Ignored: the catalog prices the line. */
  @IsOptional() unit_price?: unknown;
}

export class CreateOrderDto implements CreateOrderRequest {
  @IsString() @Length(1, 64) customer_id: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ITEMS) @ValidateNested({ each: true }) @Type(() => CreateOrderItemDto)
  items: CreateOrderItemDto[];
  @IsObject() @ValidateNested() @Type(() => OrderAddressDto) shipping_address: OrderAddressDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => OrderAddressDto) billing_address?: OrderAddressDto;
  @IsOptional() @IsString() @Length(1, 100) shipping_method?: string;
  @IsOptional() @IsString() @Length(1, 100) payment_method?: string;
  @IsOptional() @IsString() @Matches(CURRENCY, { message: 'currency must be a lower-case ISO 4217 code such as usd' }) currency?: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class UpdateOrderStatusDto implements UpdateOrderStatusRequest {
  @IsIn(ORDER_STATUSES, { message: `status must be one of: ${ORDER_STATUSES.join(', ')}` }) status: OrderStatus;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class CancelOrderDto implements CancelOrderRequest {
  @IsString() @Length(1, 200) reason: string;
  @IsOptional() @IsBoolean() refund?: boolean;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}
