import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ADMIN_ROLES, Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { ListTicketDepartmentsQueryDto, ReplaceTicketDepartmentsRequestDto } from '../../generated/request-dtos';
import { pageQueryOf } from '../../platform/pagination/page-query';
import { TicketDepartmentsService } from './ticket-departments.service';

/** A hosting company sets up its support desk here, without code changes. */
@Controller('settings/ticket-departments')
export class TicketDepartmentsController {
  constructor(private readonly departments: TicketDepartmentsService) {}

  @Auth('tickets', 'read', { roles: ['owner', 'admin', 'staff', 'customer'] })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListTicketDepartmentsQueryDto) {
    return this.departments.list(ctx, pageQueryOf(query));
  }

  @Auth('tickets', 'write', { roles: ADMIN_ROLES })
  @Put()
  replace(@Ctx() ctx: RequestContext, @Body() body: ReplaceTicketDepartmentsRequestDto) {
    return this.departments.replace(ctx, body, pageQueryOf({ per_page: 200 }));
  }
}
