import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { Schemas } from '../../../platform/openapi/schemas';
import { IsDeliverableEmail } from '../../../platform/validation/email';

type CreateTenantRequest = Schemas['CreateTenantRequest'];
type LoginRequest = Schemas['LoginRequest'];
type RefreshRequest = Schemas['RefreshRequest'];
type CreateUserRequest = Schemas['CreateUserRequest'];
type UpdateUserRequest = Schemas['UpdateUserRequest'];
type CreateApiKeyRequest = Schemas['CreateApiKeyRequest'];

const ROLES = ['owner', 'admin', 'staff', 'customer'] as const;
const MODES = ['live', 'test'] as const;

export class CreateTenantDto implements CreateTenantRequest {
  @IsString() @Length(1, 200) name: string;
  @IsDeliverableEmail() @MaxLength(320) email: string;
  @IsString() @Length(10, 200) password: string;
  @IsOptional() @IsString() @MaxLength(200) owner_name?: string;
}

export class LoginDto implements LoginRequest {
  @IsEmail() @MaxLength(320) email: string;
  @IsString() @MaxLength(200) password: string;
  @IsOptional() @IsIn(MODES) mode?: 'live' | 'test';
  @IsOptional() @IsString() @MaxLength(64) tenant_id?: string;
}

export class RefreshDto implements RefreshRequest {
  /** Absent with the cookie transport (the token is in the refresh cookie). */
  @IsOptional() @IsString() @Length(1, 200) refresh_token?: string;
}

export class CreateUserDto implements CreateUserRequest {
  @IsDeliverableEmail() @MaxLength(320) email: string;
  @IsString() @Length(10, 200) password: string;
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  @IsIn(ROLES) role: Schemas['Role'];
  @ValidateIf((o: CreateUserDto) => o.role === 'customer' || o.customer_id !== undefined)
  @IsString()
  @Matches(/^cus_[0-9a-z]{26}$/, { message: 'customer_id must be a customer id (cus_…)' })
  customer_id?: string;
}

export class UpdateUserDto implements UpdateUserRequest {
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  @IsOptional() @IsIn(ROLES) role?: Schemas['Role'];
  @IsOptional() @IsString() @Length(10, 200) password?: string;
  @ValidateIf((o: UpdateUserDto) => o.customer_id !== undefined && o.customer_id !== null)
  @IsString()
  @Matches(/^cus_[0-9a-z]{26}$/, { message: 'customer_id must be a customer id (cus_…)' })
  customer_id?: string | null;
}

export class CreateApiKeyDto implements CreateApiKeyRequest {
  @IsString() @Length(1, 200) name: string;
  @IsOptional() @IsIn(MODES) mode?: 'live' | 'test';
  @IsOptional() @IsIn(['read_only', 'read_write']) access?: 'read_only' | 'read_write';
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Type(() => String)
  @Matches(/^[a-z_]+:(read|write)$/, { each: true, message: 'each scope must look like products:read or orders:write' })
  scopes?: string[];
}
