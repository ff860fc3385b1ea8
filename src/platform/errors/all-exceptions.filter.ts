import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from '../logging/redact-url';
import { mapError } from './error-mapping';

/** The one place exceptions become HTTP responses, for every route. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(reply, request, exception, this.logger);
  }
}

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  exception: unknown,
  logger: Pick<Logger, 'error' | 'warn'>,
): void {
  const mapped = mapError(exception, String(request.id), `${request.method} ${request.url.split('?')[0]}`);
  if (mapped.unexpected) {
    const err = exception instanceof Error ? exception : new Error(String(exception));
    logger.error({ err, request_id: request.id, route: redactUrl(request.url) }, 'Unhandled error while serving request');
  } else if (mapped.overloaded) {
    const reason = exception instanceof Error ? exception.message : String(exception);
    logger.warn({ request_id: request.id, route: redactUrl(request.url), reason }, 'Database unavailable: answered 503');
  }
  reply.status(mapped.status).headers(mapped.headers).header('content-type', 'application/json; charset=utf-8').send(mapped.body);
}
