import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import { AuthenticationError } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import type { Mode, RequestContext, Role } from '../../platform/context/request-context';
import { REDIS } from '../../platform/redis/redis.module';
import type { Schemas } from '../../platform/openapi/schemas';
import { IdentityRepository } from './identity.repository';
import { RefreshSuccessorCipher } from './refresh-successor-cipher';
import { newRefreshToken, sha256 } from './secrets';
import type { UserEntity } from './entities/user.entity';

export const JWT_ALGORITHM = 'HS256';

export interface AccessClaims {
  sub: string;
  tid: string;
  mode: Mode;
  role: Role;
  cid: string | null;
  fam: string;
  jti: string;
  exp: number;
  /** The user's token version when issued; absent in tokens minted before versions existed (= 0). */
  ver?: number;
}

const deniedToken = (jti: string) => `auth:denied:jti:${jti}`;
const deniedFamily = (familyId: string) => `auth:denied:fam:${familyId}`;
/**
 * The user's current token version, cached in Redis. Why Redis and not an in-process cache: every
 * JWT request already makes one Redis round trip (the denylist MGET), and the version rides in that
 * same MGET, so the hot path costs nothing more; and it is correct across API replicas at once —
 * an in-process cache invalidated over pub/sub would accept revoked tokens on any replica that
 * missed a message (reconnects drop them). The change is written through after its commit; a miss
 * falls back to the database and fills the key only if absent (SET NX), so a reader that loaded the
 * old version before the commit can never overwrite the new one.
 */
const userVersion = (userId: string) => `auth:user-ver:${userId}`;
/** Cached for a deleted user: matches no token's version. */
const DELETED = 'deleted';

/** Access JWTs (1 h, HS256 pinned) and rotating refresh-token families. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly repo: IdentityRepository,
    private readonly tx: TransactionService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly successors: RefreshSuccessorCipher,
  ) {}

  /** Starts a new login session (a new refresh family) for the user in `ctx`'s tenant. */
  async issue(ctx: RequestContext, user: UserEntity, mode: Mode, familyId = newId('fam')): Promise<Schemas['TokenPair']> {
    const refreshToken = newRefreshToken();
    await this.repo.insertRefreshToken(ctx, {
      id: newId('rt'),
      userId: user.id,
      familyId,
      mode,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(this.clock.now().getTime() + this.config.REFRESH_TTL_DAYS * 86_400_000),
    });
    const claims = {
      sub: user.id, tid: user.tenantId, mode, role: user.role, cid: user.customerId, fam: familyId, jti: newId('req').slice(4), ver: user.tokenVersion ?? 0,
    };
    const accessToken = await this.jwt.signAsync(claims, { algorithm: JWT_ALGORITHM, expiresIn: this.config.JWT_ACCESS_TTL_SECONDS });
    return { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: this.config.JWT_ACCESS_TTL_SECONDS };
  }

  /**
   * Verifies signature, algorithm and expiry, then the denylist (logout and revoked families take
   * effect at once) and the user's token version (a password, role or customer change, or the
   * user's deletion, rejects every older token at once).
   */
  async verifyAccess(base: RequestContext, token: string): Promise<AccessClaims> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: [JWT_ALGORITHM] });
    } catch {
      throw new AuthenticationError('Access token is invalid or expired');
    }
    const [tokenDenied, familyDenied, cachedVersion] = await this.redis.mget(deniedToken(claims.jti), deniedFamily(claims.fam), userVersion(claims.sub));
    if (tokenDenied || familyDenied) throw new AuthenticationError('Access token has been revoked');
    const current = cachedVersion ?? (await this.loadVersion(base.with({ tenantId: claims.tid }), claims.sub));
    if (current !== String(claims.ver ?? 0)) throw new AuthenticationError('Access token has been revoked');
    return claims;
  }

  /** Cache miss: the version from the database, remembered unless a change got there first. */
  private async loadVersion(ctx: RequestContext, userId: string): Promise<string> {
    const version = await this.repo.findUserTokenVersion(ctx, userId);
    const value = version === null ? DELETED : String(version);
    await this.redis.set(userVersion(userId), value, 'EX', this.config.JWT_ACCESS_TTL_SECONDS, 'NX');
    return value;
  }

  /**
   * Inside the transaction that raises a user's token version (or deletes the user): drops the
   * cached version, so no replica keeps serving the old one from the cache once the change commits.
   */
  async forgetTokenVersion(userId: string): Promise<void> {
    await this.redis.del(userVersion(userId));
  }

  /** After that transaction commits: writes the new version (null = deleted) through to every replica. */
  async publishTokenVersion(userId: string, version: number | null): Promise<void> {
    await this.redis.set(userVersion(userId), version === null ? DELETED : String(version), 'EX', this.config.JWT_ACCESS_TTL_SECONDS);
  }

  /**
   * Rotates a refresh token. The row is locked, so concurrent refreshes with one token queue up
   * behind the first, which rotates it and keeps the successor pair sealed on the row. Each later
   * one — a second tab, a retry, React StrictMode's double call — presenting the token within
   * REFRESH_REUSE_GRACE_SECONDS of that rotation gets the very same pair, so one session stays one
   * session. After the window a reuse looks like theft and revokes the whole family.
   */
  async rotate(ctx: RequestContext, refreshToken: string): Promise<{ pair: Schemas['TokenPair'] } | { reused: true }> {
    return this.tx.run(ctx, async (txCtx) => {
      const now = this.clock.now();
      const row = await this.repo.findRefreshTokenForUpdate(txCtx, sha256(refreshToken));
      if (!row || row.revokedAt || row.expiresAt.getTime() <= now.getTime()) {
        throw new AuthenticationError('Refresh token is invalid, expired or revoked');
      }
      const tenantCtx = txCtx.with({ tenantId: row.tenantId, mode: row.mode });
      const graceMs = this.config.REFRESH_REUSE_GRACE_SECONDS * 1000;
      if (row.usedAt) {
        if (now.getTime() - row.usedAt.getTime() <= graceMs) {
          const successor = row.successorSealed ? this.successors.open(row.successorSealed, refreshToken, row.id) : null;
          // Within the window but nothing to hand back (the server secret changed): refuse without
          // punishing a caller who is most likely the legitimate one.
          if (!successor) throw new AuthenticationError('Refresh token was just rotated; use its successor or log in again');
          return { pair: successor };
        }
        await this.revokeFamily(tenantCtx, row.familyId);
        return { reused: true as const };
      }
      const user = await this.repo.findUser(tenantCtx, row.userId);
      if (!user) throw new AuthenticationError('Refresh token is invalid, expired or revoked');
      const pair = await this.issue(tenantCtx, user, row.mode, row.familyId);
      const sealed = graceMs > 0 ? this.successors.seal(pair, refreshToken, row.id) : null;
      await this.repo.markRefreshTokenUsed(tenantCtx, row.id, now, sealed);
      // Earlier rotations of the family are past their window: their successors need not be kept.
      await this.repo.forgetSuccessors(tenantCtx, row.familyId, new Date(now.getTime() - graceMs));
      return { pair };
    });
  }

  /** Revokes the family of the caller's own refresh token (logout with the cookie transport). */
  async revokeFamilyOf(ctx: RequestContext, userId: string, refreshToken: string): Promise<void> {
    const familyId = await this.repo.findRefreshTokenFamily(ctx, sha256(refreshToken), userId);
    if (familyId) await this.revokeFamily(ctx, familyId);
  }

  /** Revokes a family's refresh tokens and, for the access-token lifetime, its access tokens. */
  async revokeFamily(ctx: RequestContext, familyId: string): Promise<void> {
    await this.repo.revokeFamily(ctx, familyId);
    await this.redis.set(deniedFamily(familyId), '1', 'EX', this.config.JWT_ACCESS_TTL_SECONDS);
  }

  async denyAccessToken(jti: string, expiresAtSeconds: number): Promise<void> {
    const ttl = Math.max(1, expiresAtSeconds - Math.floor(Date.now() / 1000));
    await this.redis.set(deniedToken(jti), '1', 'EX', ttl);
  }
}
