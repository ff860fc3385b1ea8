import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook-sender';

/** A real receiver on 127.0.0.1 that counts the TCP connections its requests came on. */
async function receiver(): Promise<{ url: string; connections: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, connections: () => connections, server };
}

describe('sendWebhook', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps the connection to an endpoint open between deliveries', async () => {
    const r = await receiver();
    servers.push(r.server);
    for (let i = 0; i < 5; i++) {
      const result = await sendWebhook(r.url, '{}', {}, { timeoutMs: 5000, allowPrivate: true });
      expect(result.statusCode).toBe(200);
    }
    expect(r.connections()).toBe(1);
  });

  it('refuses a private address unless private URLs are allowed, at connect time', async () => {
    const r = await receiver();
    servers.push(r.server);
    const result = await sendWebhook(r.url, '{}', {}, { timeoutMs: 5000, allowPrivate: false });
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/not allowed/);
    expect(r.connections()).toBe(0);
  });
});
