import { Body, Catch, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeWait, sendHostedAnswer } from '../../platform/hosted-page/hosted-page';
import { HostedPage } from '../../platform/hosted-page/hosted-page.decorator';
import { HostedPageExceptionFilter } from '../../platform/hosted-page/hosted-page.filter';
import { CHECKOUT_PAGE_HEADERS, renderCheckoutFailed, renderCheckoutTooManyRequests } from './checkout.page';
import { CheckoutService } from './checkout.service';

/** A refusal or failure on the checkout page is a checkout-styled HTML page, never JSON. */
@Catch()
export class CheckoutPageFilter extends HostedPageExceptionFilter {
  protected readonly pageHeaders = CHECKOUT_PAGE_HEADERS;
  protected tooManyRequestsPage(retryAfterSeconds: number): string {
    return renderCheckoutTooManyRequests(describeWait(retryAfterSeconds));
  }
  protected failurePage(): string {
    return renderCheckoutFailed();
  }
}

/**
 * The hosted checkout page `/r/{token}`, outside `/api/v1` and the JSON envelope (app.factory
 * excludes it from the prefix; answers are sent as HTML or a 303 here). Public: the token is the
 * credential; limited per token and per IP by @HostedPage.
 */
@Controller('r')
@HostedPage('checkout')
@UseFilters(new CheckoutPageFilter())
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendHostedAnswer(reply, await this.checkout.render(String(request.id), token), CHECKOUT_PAGE_HEADERS);
  }

  @Post(':token')
  async submit(@Param('token') token: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    sendHostedAnswer(reply, await this.checkout.checkout(String(request.id), token, form), CHECKOUT_PAGE_HEADERS);
  }
}
