import { Controller, Get, Param, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { dateParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { EventsService } from './events.service';

@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Auth('events', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const { order } = parseSort(query, ['created_at'], { sort: 'created_at', order: 'desc' });
    const filters = {
      type: typeof query.type === 'string' && query.type !== '' ? query.type : undefined,
      from: dateParam(query, 'date_from', ['from']),
      to: dateParam(query, 'date_to', ['to']),
    };
    return this.events.list(ctx, parsePageQuery(query), order, filters);
  }

  @Auth('events', 'read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.events.get(ctx, id);
  }
}
