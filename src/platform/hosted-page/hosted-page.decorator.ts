import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { Public } from '../auth/auth.decorator';
import { HOSTED_PAGE_FAMILY } from './hosted-page';
import { HostedPageRateLimitGuard } from './hosted-page-rate-limit.guard';

/**
 * A server-rendered page outside `/api/v1` whose path token is the only credential
 * (`/pay/{token}`, `/r/{token}`): public for the auth guard, and limited per token and per client
 * IP by HostedPageRateLimitGuard. `family` names the page in the token's bucket key, so a
 * checkout link and an invoice link never share one. The controller also needs an HTML exception
 * filter (a HostedPageExceptionFilter) so a refusal is a page, not JSON.
 */
export function HostedPage(family: string) {
  return applyDecorators(Public(), SetMetadata(HOSTED_PAGE_FAMILY, family), UseGuards(HostedPageRateLimitGuard));
}
