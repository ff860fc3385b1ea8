import { Body, Catch, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HostedPage } from '../../platform/hosted-page/hosted-page.decorator';
import { describeWait, sendHostedAnswer } from '../../platform/hosted-page/hosted-page';
import { HostedPageExceptionFilter } from '../../platform/hosted-page/hosted-page.filter';
import { HOSTED_PAGE_HEADERS, renderErrorPage, renderTooManyRequestsPage } from './invoice.page';
import { HostedPayService } from './hosted-pay.service';

/** A refusal or failure on the invoice page is an invoice-page-styled HTML page, never JSON. */
@Catch()
export class HostedPayPageFilter extends HostedPageExceptionFilter {
  protected readonly pageHeaders = HOSTED_PAGE_HEADERS;
  protected tooManyRequestsPage(retryAfterSeconds: number): string {
    return renderTooManyRequestsPage(describeWait(retryAfterSeconds));
  }
  protected failurePage(): string {
    return renderErrorPage();
  }
}

/**
 * The hosted invoice page `/pay/{token}`, outside `/api/v1` and the JSON envelope (app.factory
 * excludes it from the prefix; answers are sent as HTML or a 303 here). Public: the token is the
 * credential; limited per token and per IP by @HostedPage, card attempts by HostedPayService.
 */
@Controller('pay')
@HostedPage('pay')
@UseFilters(new HostedPayPageFilter())
export class HostedPayController {
  constructor(private readonly hosted: HostedPayService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Query('checkout') checkout: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendHostedAnswer(reply, await this.hosted.page(String(request.id), token, checkout === 'complete'), HOSTED_PAGE_HEADERS);
  }

  @Post(':token')
  async pay(@Param('token') token: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendHostedAnswer(reply, await this.hosted.pay(String(request.id), token, form), HOSTED_PAGE_HEADERS);
  }
}
