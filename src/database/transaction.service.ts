import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../platform/context/request-context';

/**
 * Runs work in one transaction and hands the callee a `ctx` that carries its manager. A callee
 * that is already inside a transaction joins it, so services compose without nested commits.
 */
@Injectable()
export class TransactionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(ctx: RequestContext, work: (txCtx: RequestContext) => Promise<T>): Promise<T> {
    if (ctx.manager?.queryRunner?.isTransactionActive) return work(ctx);
    return this.dataSource.transaction((manager) => work(ctx.withManager(manager)));
  }

  /** The manager to query with: the open transaction's when there is one. */
  managerFor(ctx: RequestContext): EntityManager {
    return ctx.manager ?? this.dataSource.manager;
  }
}
