import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Schemas } from '../../../platform/openapi/schemas';

type CreateWebhookRequest = Schemas['CreateWebhookRequest'];
type UpdateWebhookRequest = Schemas['UpdateWebhookRequest'];

const EVENT_PATTERN = /^(\*|[a-z_]+\.[a-z_*]+)$/;

export class CreateWebhookDto implements CreateWebhookRequest {
  @IsString() @MaxLength(2048) url: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @Matches(EVENT_PATTERN, { each: true, message: 'each event must be an event type or *' })
  events: string[];
  @IsOptional() @IsString() @Matches(/^whsec_[A-Za-z0-9+/=]{24,}$/, { message: 'secret must look like whsec_<base64, 18+ bytes>' })
  secret?: string;
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class UpdateWebhookDto implements UpdateWebhookRequest {
  @IsOptional() @IsString() @MaxLength(2048) url?: string;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @Matches(EVENT_PATTERN, { each: true, message: 'each event must be an event type or *' })
  events?: string[];
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsString() @MaxLength(500) description?: string;
}
