import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ValidationError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { pageOfList } from '../../platform/pagination/list-page';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery } from '../../platform/pagination/page-query';
import { toTicketDepartment } from './tickets.mappers';
import { TicketsRepository } from './tickets.repository';

const BY_KEY = { sort: 'key', valueOf: (d: Schemas['TicketDepartment']) => d.key, idOf: (d: Schemas['TicketDepartment']) => d.key };

/** The departments a tenant's tickets may name: configuration rows, replaced as a whole by `PUT`. */
@Injectable()
export class TicketDepartmentsService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly tx: TransactionService,
  ) {}

  async list(ctx: RequestContext, page: PageQuery): Promise<Page<Schemas['TicketDepartment']>> {
    return pageOfList((await this.repo.departments(ctx)).map(toTicketDepartment), page, BY_KEY);
  }

  async replace(ctx: RequestContext, body: Schemas['ReplaceTicketDepartmentsRequest'], page: PageQuery): Promise<Page<Schemas['TicketDepartment']>> {
    const seen = new Set<string>();
    body.departments.forEach((d, i) => {
      if (seen.has(d.key)) throw new ValidationError(`Department key '${d.key}' appears twice`, [{ field: `departments[${i}].key`, message: 'must be unique' }]);
      seen.add(d.key);
    });
    await this.tx.run(ctx, (txCtx) => this.repo.replaceDepartments(txCtx, body.departments.map((d) => ({ key: d.key, name: d.name, email: d.email ?? null }))));
    return this.list(ctx, page);
  }
}
