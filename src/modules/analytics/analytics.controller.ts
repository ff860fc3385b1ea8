import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { CustomReportRequestDto, GetCustomersReportQueryDto, GetProductsReportQueryDto, GetSalesReportQueryDto } from '../../generated/request-dtos';
import { CustomReportService } from './custom-report.service';
import { CustomersReportService } from './customers-report.service';
import { ProductsReportService } from './products-report.service';
import { customCsv, customersCsv, productsCsv, salesCsv } from './report-csv';
import { SalesReportService } from './sales-report.service';

/** `Accept: text/csv` asks for the report as CSV (a raw body, outside the envelope). */
function wantsCsv(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.split(';')[0].trim().toLowerCase() === 'text/csv');
}

async function respond<T>(accept: string | undefined, reply: FastifyReply, name: string, report: Promise<T>, csv: (r: T) => string): Promise<T | string> {
  const result = await report;
  if (!wantsCsv(accept)) return result;
  reply.header('Content-Type', 'text/csv; charset=utf-8');
  reply.header('Content-Disposition', `attachment; filename="${name}.csv"`);
  return csv(result);
}

@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly sales: SalesReportService,
    private readonly products: ProductsReportService,
    private readonly customers: CustomersReportService,
    private readonly custom: CustomReportService,
  ) {}

  @Auth('analytics', 'read')
  @Get('sales')
  salesReport(@Ctx() ctx: RequestContext, @Query() query: GetSalesReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(accept, reply, 'sales', this.sales.report(ctx, query), salesCsv);
  }

  @Auth('analytics', 'read')
  @Get('products')
  productsReport(@Ctx() ctx: RequestContext, @Query() query: GetProductsReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(accept, reply, 'products', this.products.report(ctx, query), productsCsv);
  }

  @Auth('analytics', 'read')
  @Get('customers')
  customersReport(@Ctx() ctx: RequestContext, @Query() query: GetCustomersReportQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(accept, reply, 'customers', this.customers.report(ctx, query), customersCsv);
  }

  /** A read with a body: POST answers 200, and `analytics:read` is enough. */
  @Auth('analytics', 'read')
  @Post('custom')
  @HttpCode(200)
  customReport(@Ctx() ctx: RequestContext, @Body() body: CustomReportRequestDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(accept, reply, 'custom-report', this.custom.run(ctx, body), customCsv);
  }
}
