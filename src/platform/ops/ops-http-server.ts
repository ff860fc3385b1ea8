import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a route of the operations server answers. */
export interface OpsResponse {
  status: number;
  contentType: string;
  body: string;
}

export type OpsRoutes = Record<string, () => Promise<OpsResponse>>;

export interface OpsHttpServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A small plain HTTP server for probes and scrapes, apart from the public API: the worker's
 * /health and /metrics (WORKER_HTTP_PORT), the API's /metrics when METRICS_PORT moves it. GET only;
 * everything else is a 404. No framework: it must answer while the application is busy or closing.
 */
export async function startOpsHttpServer(port: number, host: string, routes: OpsRoutes): Promise<OpsHttpServer> {
  const server = http.createServer((req, res) => {
    const route = req.method === 'GET' ? routes[(req.url ?? '').split('?')[0]] : undefined;
    const send = ({ status, contentType, body }: OpsResponse) => {
      res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (!route) return send({ status: 404, contentType: 'application/json', body: '{"status":"not_found"}' });
    route().then(send, () => send({ status: 500, contentType: 'application/json', body: '{"status":"error"}' }));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export const json = (status: number, value: unknown): OpsResponse => ({ status, contentType: 'application/json', body: JSON.stringify(value) });
export const prometheusText = (body: string): OpsResponse => ({ status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', body });
