import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { contextOf } from '../context/ctx.decorator';
import { successEnvelope } from './envelope';

/** Wraps whatever a controller returns in the success envelope; `undefined` stays an empty body (204). */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    return next.handle().pipe(
      map((body) => {
        if (body === undefined || isRawResponse(body)) return body;
        return successEnvelope(contextOf(request), body);
      }),
    );
  }
}

/** Routes outside the API envelope (health, metrics) return strings or opt out with this marker. */
export class RawBody {
  constructor(readonly value: unknown) {}
  toJSON() {
    return this.value;
  }
}

function isRawResponse(body: unknown): boolean {
  return typeof body === 'string' || body instanceof RawBody;
}
