import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordExchange } from './example-recorder';
import { waitFor } from './wait';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** A real HTTP server on 127.0.0.1 that records every POST and answers with a status you choose per request. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: Server;
  respond: (index: number, body: string) => number = () => 200;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const index = this.received.length;
        this.received.push({ headers: req.headers, body, receivedAt: Date.now() });
        recordExchange({ method: 'WEBHOOK', path: req.url ?? '/', status: 0, contentType: String(req.headers['content-type'] ?? ''), requestBody: safeJson(body) });
        res.statusCode = this.respond(index, body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks`;
  }

  eventIds(): Set<string> {
    return new Set(this.received.map((r) => String(r.headers['webhook-id'])));
  }

  /** Waits (on the condition, no fixed sleep) until `predicate` holds for what has arrived. */
  async waitFor(predicate: () => boolean, timeoutMs = 20000): Promise<void> {
    await waitFor('the webhook deliveries the test expects', predicate, timeoutMs, 25).catch((err: Error) => {
      throw new Error(`${err.message}; received ${this.received.length} request(s)`, { cause: err });
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
