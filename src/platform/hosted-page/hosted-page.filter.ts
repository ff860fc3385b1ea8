import { type ArgumentsHost, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from '../errors/error-mapping';
import { sendHostedAnswer } from './hosted-page';

/**
 * Turns what a hosted page's guards or handler throw into a page of that site, never the JSON
 * error envelope: a rate limit → 429 with Retry-After and a "too many requests" page; anything
 * else → the page's error page with the mapped status (a failure of ours is logged). Subclasses
 * give the look; register one per controller with `@UseFilters(SubclassInstance)` and `@Catch()`.
 */
export abstract class HostedPageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HostedPage');

  /** The page's security headers (CSP and friends). */
  protected abstract readonly pageHeaders: Readonly<Record<string, string>>;
  protected abstract tooManyRequestsPage(retryAfterSeconds: number): string;
  protected abstract failurePage(): string;

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = mapError(exception, String(request.id), `${request.method} ${request.url.split('?')[0]}`);
    if (mapped.unexpected) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ err, request_id: request.id, route: request.url }, 'hosted page failed');
    }
    if (mapped.status === 429) {
      const retryAfter = Math.max(1, Number(mapped.headers['Retry-After']) || 60);
      sendHostedAnswer(reply, { status: 429, html: this.tooManyRequestsPage(retryAfter), headers: { 'Retry-After': String(retryAfter) } }, this.pageHeaders);
      return;
    }
    sendHostedAnswer(reply, { status: mapped.status, html: this.failurePage(), headers: mapped.headers }, this.pageHeaders);
  }
}
