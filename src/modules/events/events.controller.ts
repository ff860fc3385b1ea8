import { Controller, Get, Param, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { ListEventsQueryDto } from '../../generated/request-dtos';
import { dateFilter } from '../../platform/http/date-filter';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import { EventsService } from './events.service';

@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Auth('events', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListEventsQueryDto) {
    const { order } = sortOf(query, { sort: 'created_at', order: 'desc' });
    const filters = { type: query.type, from: dateFilter(query.date_from, query.from), to: dateFilter(query.date_to, query.to) };
    return this.events.list(ctx, pageQueryOf(query), order, filters);
  }

  @Auth('events', 'read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.events.get(ctx, id);
  }
}
