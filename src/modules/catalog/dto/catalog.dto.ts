import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import type { Schemas } from '../../../platform/openapi/schemas';
import { CURRENCY, IfPresent, IsAttributes, IsMetadata, LABEL, SKU } from './catalog.validators';

type CreateProductRequest = Schemas['CreateProductRequest'];
type UpdateProductRequest = Schemas['UpdateProductRequest'];
type CreateVariantRequest = Schemas['CreateVariantRequest'];
type UpdateVariantRequest = Schemas['UpdateVariantRequest'];
type CreateTierRequest = Schemas['CreateTierRequest'];
type UpdateTierRequest = Schemas['UpdateTierRequest'];

export const PRODUCT_STATUSES = ['active', 'draft', 'archived'] as const;
export const PRODUCT_TYPES = ['single', 'subscription'] as const;
export const BILLING_CYCLES = ['monthly', 'quarterly', 'yearly'] as const;

const SKU_MESSAGE = { message: 'sku must be 1-64 letters, digits, dots, underscores or hyphens' };
const LABEL_MESSAGE = { message: 'label_name must be 1-64 letters, digits, dots, underscores or hyphens' };
const CURRENCY_MESSAGE = { message: 'currency must be a lower-case ISO 4217 code such as usd' };
const PRICE_MESSAGE = { message: 'price must be an integer number of minor units (e.g. 1999 for 19.99)' };
const URL_OPTIONS = { require_protocol: true, protocols: ['http', 'https'] };

export class CreateVariantDto implements CreateVariantRequest {
  @IsString() @Matches(SKU, SKU_MESSAGE) sku: string;
  @IsOptional() @IsInt(PRICE_MESSAGE) @Min(0) @Max(Number.MAX_SAFE_INTEGER) price?: number | null;
  @IfPresent() @IsAttributes() attributes?: Schemas['Attributes'];
  @IsOptional() @IsString() @MaxLength(2048) @IsUrl(URL_OPTIONS) image?: string | null;
}

export class UpdateVariantDto implements UpdateVariantRequest {
  @IfPresent() @IsString() @Matches(SKU, SKU_MESSAGE) sku?: string;
  @IsOptional() @IsInt(PRICE_MESSAGE) @Min(0) @Max(Number.MAX_SAFE_INTEGER) price?: number | null;
  @IfPresent() @IsAttributes() attributes?: Schemas['Attributes'];
  @IsOptional() @IsString() @MaxLength(2048) @IsUrl(URL_OPTIONS) image?: string | null;
}

export class CreateProductDto implements CreateProductRequest {
  @IsString() @Matches(SKU, SKU_MESSAGE) sku: string;
  @IsString() @Length(1, 200) name: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  @IsInt(PRICE_MESSAGE) @Min(0) @Max(Number.MAX_SAFE_INTEGER) price: number;
  @IfPresent() @IsString() @Matches(CURRENCY, CURRENCY_MESSAGE) currency?: string;
  @IfPresent() @IsIn(PRODUCT_STATUSES) status?: Schemas['ProductStatus'];
  @IfPresent() @IsIn(PRODUCT_TYPES) type?: Schemas['ProductType'];
  @IsOptional() @IsString() @Matches(LABEL, LABEL_MESSAGE) label_name?: string | null;
  @IfPresent() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 100, { each: true }) categories?: string[];
  @IfPresent() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(2048, { each: true }) @IsUrl(URL_OPTIONS, { each: true })
  images?: string[];
  @IfPresent() @IsAttributes() attributes?: Schemas['Attributes'];
  @IfPresent() @IsMetadata() metadata?: Schemas['Metadata'];
  @IfPresent() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => CreateVariantDto)
  variants?: CreateVariantDto[];
}

/** `PATCH` and `PUT` alike: only the fields sent change. */
export class UpdateProductDto implements UpdateProductRequest {
  @IfPresent() @IsString() @Matches(SKU, SKU_MESSAGE) sku?: string;
  @IfPresent() @IsString() @Length(1, 200) name?: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  @IfPresent() @IsInt(PRICE_MESSAGE) @Min(0) @Max(Number.MAX_SAFE_INTEGER) price?: number;
  @IfPresent() @IsString() @Matches(CURRENCY, CURRENCY_MESSAGE) currency?: string;
  @IfPresent() @IsIn(PRODUCT_STATUSES) status?: Schemas['ProductStatus'];
  @IfPresent() @IsIn(PRODUCT_TYPES) type?: Schemas['ProductType'];
  @IsOptional() @IsString() @Matches(LABEL, LABEL_MESSAGE) label_name?: string | null;
  @IfPresent() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 100, { each: true }) categories?: string[];
  @IfPresent() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(2048, { each: true }) @IsUrl(URL_OPTIONS, { each: true })
  images?: string[];
  @IfPresent() @IsAttributes() attributes?: Schemas['Attributes'];
  @IfPresent() @IsMetadata() metadata?: Schemas['Metadata'];
}

export class CreateTierDto implements CreateTierRequest {
  @IsString() @Matches(LABEL, LABEL_MESSAGE) label_name: string;
  @IsString() @Length(1, 200) name: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  @IsInt(PRICE_MESSAGE) @Min(0) @Max(Number.MAX_SAFE_INTEGER) price: number;
  @IfPresent() @IsString() @Matches(CURRENCY, CURRENCY_MESSAGE) currency?: string;
  @IsIn(BILLING_CYCLES) billing_cycle: Schemas['BillingCycle'];
  @IfPresent() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 200, { each: true }) features?: string[];
  @IfPresent() @IsBoolean() is_popular?: boolean;
}

export class UpdateTierDto implements UpdateTierRequest {
  @IfPresent() @IsString() @Matches(LABEL, LABEL_MESSAGE) label_name?: string;
  @IfPresent() @IsString() @Length(1, 200) name?: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  @IfPresent() @IsInt(PRICE_MESSAGE) @Min(0) @Max(Number.MAX_SAFE_INTEGER) price?: number;
  @IfPresent() @IsString() @Matches(CURRENCY, CURRENCY_MESSAGE) currency?: string;
  @IfPresent() @IsIn(BILLING_CYCLES) billing_cycle?: Schemas['BillingCycle'];
  @IfPresent() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 200, { each: true }) features?: string[];
  @IfPresent() @IsBoolean() is_popular?: boolean;
}
