import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const RAW_BODY = Symbol('rawBody');

/**
 * Keeps the exact bytes of the request body for the routes `matches` selects (signed webhooks,
 * whose signature covers the raw body, not the parsed JSON), before the JSON parser runs. Other
 * routes are untouched. The size limit is the server's body limit, as for every request.
 */
export function keepRawBody(fastify: FastifyInstance, matches: (url: string) => boolean): void {
  const limit = fastify.initialConfig.bodyLimit ?? 1024 * 1024;
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!matches(request.url)) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > limit) break; // the JSON parser then answers 413 on the truncated length check
      chunks.push(buffer);
    }
    const raw = Buffer.concat(chunks);
    (request as unknown as Record<symbol, Buffer>)[RAW_BODY] = raw;
    const replay = Readable.from([raw]);
    (replay as unknown as { receivedEncodedLength: number }).receivedEncodedLength = size;
    return replay;
  });
}

/** The body's bytes, when `keepRawBody` kept them for this route. */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return (request as unknown as Record<symbol, Buffer | undefined>)[RAW_BODY];
}
