import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

export const COUNTRY_CODE = /^[A-Z]{2}$/;
export const COUNTRY_MESSAGE = 'country must be an ISO 3166-1 alpha-2 code in upper case (e.g. US)';

/** A postal address as customers, orders and invoices take it; modules extend it with their own fields. */
export class PostalAddressDto {
  @IsOptional() @IsString() @MaxLength(100) first_name?: string;
  @IsOptional() @IsString() @MaxLength(100) last_name?: string;
  @IsOptional() @IsString() @MaxLength(200) company?: string;
  @IsString() @Length(1, 200) line1: string;
  @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @IsString() @Length(1, 100) city: string;
  @IsOptional() @IsString() @MaxLength(100) region?: string;
  @IsOptional() @IsString() @MaxLength(20) postal_code?: string;
  @IsString() @Matches(COUNTRY_CODE, { message: COUNTRY_MESSAGE }) country: string;
  @IsOptional() @IsString() @MaxLength(40) phone?: string;
}
