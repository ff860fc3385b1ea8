import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext, Role } from '../../platform/context/request-context';
import { AuthorizationError, ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { PortBindings } from '../../platform/ports/port-bindings';
import { CUSTOMER_DIRECTORY, type CustomerDirectory } from './customer-directory.port';
import { IdentityRepository } from './identity.repository';
import { toUser } from './identity.mappers';
import { hashPassword } from './password-hasher';
import { TokensService } from './tokens.service';
import type { UserEntity } from './entities/user.entity';
import { isUniqueViolation } from '../../platform/errors/unique-violation';

@Injectable()
export class UsersService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly tx: TransactionService,
    private readonly tokens: TokensService,
    private readonly bindings: PortBindings,
  ) {}

  async list(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }, role?: Role): Promise<Page<Schemas['User']>> {
    return (await this.repo.listUsers(ctx, page, sort, role)).map(toUser);
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['User']> {
    return toUser(await this.find(ctx, id));
  }

  async create(ctx: RequestContext, body: Schemas['CreateUserRequest']): Promise<Schemas['User']> {
    this.assertMayGrant(ctx, body.role);
    assertCustomerLink(body.role, body.customer_id ?? null);
    await this.assertCustomerExists(ctx, body.customer_id ?? null);
    const user = await this.insertWithHash(ctx, body, await hashPassword(body.password));
    return toUser(user);
  }

  /** Inserts a user whose password is already hashed; a taken e-mail in this tenant → 409. */
  async insertWithHash(
    ctx: RequestContext,
    fields: { email: string; name?: string | null; role: Role; customer_id?: string | null },
    passwordHash: string,
  ): Promise<UserEntity> {
    try {
      return await this.tx.run(ctx, (txCtx) =>
        this.repo.insertUser(txCtx, {
          id: newId('usr'),
          email: fields.email.toLowerCase(),
          name: fields.name ?? null,
          role: fields.role,
          customerId: fields.customer_id ?? null,
          passwordHash,
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('A user with this e-mail already exists', 'email');
      throw err;
    }
  }

  /**
   * A password, role or customer change ends the user's sessions: its refresh families are revoked
   * and its token version goes up, so every access token it holds fails on its next request.
   */
  async update(ctx: RequestContext, id: string, body: Schemas['UpdateUserRequest']): Promise<Schemas['User']> {
    const passwordHash = body.password ? await hashPassword(body.password) : undefined;
    const { updated, endedVersion } = await this.tx.run(ctx, async (txCtx) => {
      const owners = await this.repo.lockOwners(txCtx);
      const user = await this.findForUpdate(txCtx, id);
      this.assertMayManage(txCtx, user);
      const roleChanges = body.role !== undefined && body.role !== user.role;
      const customerChanges = body.customer_id !== undefined && body.customer_id !== user.customerId;
      if (roleChanges && body.role) {
        this.assertMayGrant(txCtx, body.role);
        if (user.role === 'owner' && owners.length <= 1) throw new ConflictError('A tenant must keep at least one owner');
        user.role = body.role;
      }
      if (body.name !== undefined) user.name = body.name;
      if (body.customer_id !== undefined) user.customerId = body.customer_id;
      if (passwordHash) user.passwordHash = passwordHash;
      assertCustomerLink(user.role, user.customerId);
      if (body.customer_id !== undefined) await this.assertCustomerExists(txCtx, user.customerId);
      const endsSessions = Boolean(passwordHash) || roleChanges || customerChanges;
      if (endsSessions) {
        user.tokenVersion = (user.tokenVersion ?? 0) + 1;
        await this.endSessions(txCtx, user.id);
      }
      const saved = await this.repo.saveUser(txCtx, user);
      return { updated: toUser(saved), endedVersion: endsSessions ? saved.tokenVersion : null };
    });
    if (endedVersion !== null) await this.tokens.publishTokenVersion(updated.id, endedVersion);
    return updated;
  }

  /** Deletes the user and ends every session it has, at once. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const userId = await this.tx.run(ctx, async (txCtx) => {
      const owners = await this.repo.lockOwners(txCtx);
      const user = await this.findForUpdate(txCtx, id);
      this.assertMayManage(txCtx, user);
      if (user.role === 'owner' && owners.length <= 1) throw new ConflictError('A tenant must keep at least one owner');
      await this.endSessions(txCtx, user.id);
      await this.repo.deleteUser(txCtx, user.id);
      return user.id;
    });
    await this.tokens.publishTokenVersion(userId, null);
  }

  /** Inside the changing transaction: revokes every refresh family and drops the cached token version. */
  private async endSessions(ctx: RequestContext, userId: string): Promise<void> {
    for (const familyId of await this.repo.familiesOfUser(ctx, userId)) await this.tokens.revokeFamily(ctx, familyId);
    await this.tokens.forgetTokenVersion(userId);
  }

  private async findForUpdate(ctx: RequestContext, id: string): Promise<UserEntity> {
    const user = await this.repo.findUserForUpdate(ctx, parseIdOr404(id, 'usr', 'user'));
    if (!user) throw new NotFoundError('user', id);
    return user;
  }

  private async find(ctx: RequestContext, id: string): Promise<UserEntity> {
    const user = await this.repo.findUser(ctx, parseIdOr404(id, 'usr', 'user'));
    if (!user) throw new NotFoundError('user', id);
    return user;
  }

  private async assertCustomerExists(ctx: RequestContext, customerId: string | null): Promise<void> {
    const customers = this.bindings.one<CustomerDirectory>(CUSTOMER_DIRECTORY);
    if (customerId && customers && !(await customers.exists(ctx, customerId))) {
      throw new ValidationError(`No such customer: '${customerId}'`, [{ field: 'customer_id', message: 'must be an existing customer of this tenant and mode' }]);
    }
  }

  /** Only an owner hands out or takes away the owner role. */
  private assertMayGrant(ctx: RequestContext, role: Role): void {
    const callerIsOwner = ctx.actor.kind === 'user' && ctx.actor.role === 'owner';
    if (role === 'owner' && !callerIsOwner) throw new AuthorizationError('Only an owner can grant or change the owner role');
  }

  /** An owner's account (password, role, anything, or its deletion) is managed only by owners. */
  private assertMayManage(ctx: RequestContext, target: UserEntity): void {
    const callerIsOwner = ctx.actor.kind === 'user' && ctx.actor.role === 'owner';
    if (target.role === 'owner' && !callerIsOwner) throw new AuthorizationError("Only an owner can change or delete an owner's account");
  }
}

function assertCustomerLink(role: Role, customerId: string | null): void {
  if (role === 'customer' && !customerId) {
    throw new ValidationError('customer_id is required for customer users', [{ field: 'customer_id', message: 'required when role is customer' }]);
  }
  if (role !== 'customer' && customerId) {
    throw new ValidationError('customer_id is only for customer users', [{ field: 'customer_id', message: 'only allowed when role is customer' }]);
  }
}
