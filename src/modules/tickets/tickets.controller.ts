import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CreateTicketRequestDto, ListTicketsQueryDto, ReplyTicketRequestDto } from '../../generated/request-dtos';
import { dateFilter } from '../../platform/http/date-filter';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import type { TicketFilters } from './tickets.repository';
import { TicketsService } from './tickets.service';

/** Staff and the ticket's customer (a customer user or its personal token) both read and write tickets. */
const PARTIES = ['owner', 'admin', 'staff', 'customer'] as const;

function filtersOf(query: ListTicketsQueryDto): TicketFilters {
  return {
    status: query.status,
    priority: query.priority,
    customerId: query.customer_id,
    department: query.department,
    dateFrom: dateFilter(query.date_from, query.from),
    dateTo: dateFilter(query.date_to, query.to),
  };
}

@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Auth('tickets', 'read', { roles: PARTIES })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListTicketsQueryDto) {
    return this.tickets.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), filtersOf(query));
  }

  @Auth('tickets', 'write', { roles: PARTIES })
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateTicketRequestDto) {
    return this.tickets.create(ctx, body);
  }

  @Auth('tickets', 'read', { roles: PARTIES })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.tickets.get(ctx, id);
  }

  @Auth('tickets', 'write', { roles: PARTIES })
  @Post(':id/reply')
  @HttpCode(200)
  reply(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: ReplyTicketRequestDto) {
    return this.tickets.reply(ctx, id, body);
  }

  @Auth('tickets', 'write', { roles: PARTIES })
  @Post(':id/close')
  @HttpCode(200)
  close(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.tickets.close(ctx, id);
  }
}
