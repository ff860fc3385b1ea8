import { Body, Catch, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HostedPage } from '../../platform/hosted-page/hosted-page.decorator';
import { describeWait, sendHostedAnswer } from '../../platform/hosted-page/hosted-page';
import { HostedPageExceptionFilter } from '../../platform/hosted-page/hosted-page.filter';
import { CONSENT_PAGE_HEADERS, renderConsentErrorPage } from './consent.page';
import { parseCookies } from './consent-session';
import { OAuthConsentService, type ConsentAnswer, type ConsentRequest } from './oauth-consent.service';

/** A refusal or failure on the consent page is a page, never JSON. */
@Catch()
export class ConsentPageFilter extends HostedPageExceptionFilter {
  protected readonly pageHeaders = CONSENT_PAGE_HEADERS;
  protected tooManyRequestsPage(retryAfterSeconds: number): string {
    return renderConsentErrorPage('Too many requests', `Please wait ${describeWait(retryAfterSeconds)} and try again.`);
  }
  protected failurePage(): string {
    return renderConsentErrorPage('Something went wrong', 'The request could not be completed. Go back to the app and start again.');
  }
}

/**
 * GET/POST /oauth/authorize (outside /api/v1): the consent page. Public for the auth guard (the user
 * signs in on the page), limited per client IP like the hosted pages.
 */
@Controller('oauth/authorize')
@HostedPage('oauth')
@UseFilters(new ConsentPageFilter())
export class OAuthConsentController {
  constructor(private readonly consent: OAuthConsentService) {}

  @Get()
  async show(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.consent.show(consentRequest(request, query)));
  }

  @Post()
  async decide(@Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.consent.decide(consentRequest(request, form)));
  }
}

function consentRequest(request: FastifyRequest, source: Record<string, unknown> | undefined): ConsentRequest {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(source ?? {})) if (typeof v === 'string') params[k] = v;
  return { requestId: String(request.id), params, cookies: parseCookies(request.headers.cookie), ip: request.ip, secure: request.protocol === 'https' };
}

function send(reply: FastifyReply, { answer, cookies }: ConsentAnswer): void {
  if (cookies.length > 0) reply.header('Set-Cookie', cookies);
  sendHostedAnswer(reply, answer, CONSENT_PAGE_HEADERS);
}
