import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  latencyMs: number;
}

const EXCERPT_BYTES = 1024;

/**
 * Connections one worker keeps open to one endpoint origin (host and port) at most; more requests to it
 * wait for a free one (within their timeout). Tenants sharing an origin share these.
 */
const MAX_CONNECTIONS_PER_ORIGIN = 64;
const agentOptions = { keepAlive: true, maxSockets: MAX_CONNECTIONS_PER_ORIGIN, scheduling: 'lifo' as const };

// One keep-alive agent pair per policy, pooling connections per origin. The filtering agents check the
// resolved address when a connection is made, and a pooled connection is only ever reused to the address
// it was made to: a DNS answer that changed since the endpoint was saved cannot reach a private address.
const filtering = { http: new RequestFilteringHttpAgent(agentOptions), https: new RequestFilteringHttpsAgent(agentOptions) };
const permissive = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

/** POSTs one signed delivery: no redirects followed, a hard timeout, the first 1 KB of the answer kept. */
export function sendWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = performance.now();
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const agents = options.allowPrivate ? permissive : filtering;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, latencyMs: Math.round(performance.now() - started) });
    };
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'application/json', 'user-agent': 'cbapi-webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          finish({
            statusCode: response.statusCode ?? null,
            error: null,
            responseExcerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8') || null,
          }),
        );
        response.on('error', (err) => finish({ statusCode: response.statusCode ?? null, error: err.message, responseExcerpt: null }));
      },
    );
    request.on('error', (err) => {
      const message = err.name === 'AbortError' || err.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : err.message;
      finish({ statusCode: null, error: message, responseExcerpt: null });
    });
    request.end(body);
  });
}
