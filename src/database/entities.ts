/**
 * Every TypeORM entity, for the data source and the migrations check. A module registers its own
 * entities here and nowhere else; other modules still reach them only through that module's service.
 */
import { EventEntity } from '../modules/events/event.entity';
import { ApiKeyEntity } from '../modules/identity/entities/api-key.entity';
import { RefreshTokenEntity } from '../modules/identity/entities/refresh-token.entity';
import { TenantEntity } from '../modules/identity/entities/tenant.entity';
import { UserEntity } from '../modules/identity/entities/user.entity';

export const ENTITIES: Function[] = [
  TenantEntity,
  UserEntity,
  ApiKeyEntity,
  RefreshTokenEntity,
  EventEntity,
];
