import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface DevMailCatcher {
  /** `smtp://127.0.0.1:<port>`: set as SMTP_URL and SANDBOX_SMTP_URL. */
  url: string;
  /** Where each message lands as `<time>-<n>.eml` (open it in any mail client). */
  dir: string;
  close(): Promise<void>;
}

/**
 * A local SMTP catcher for the dev launcher when no Mailpit runs: accepts every message on
 * loopback and writes it to `dir`, so no development mail reaches a real inbox. Development
 * only: `smtp-server` is a dev dependency and is loaded here, on call, never by the app.
 */
export async function startDevMailCatcher(options: { dir: string; port?: number; host?: string }): Promise<DevMailCatcher> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SMTPServer } = require('smtp-server') as typeof import('smtp-server');
  mkdirSync(options.dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        try {
          const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${++count}.eml`;
          writeFileSync(join(options.dir, name), Buffer.concat(chunks));
          callback();
        } catch (err) {
          callback(err as Error);
        }
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${host}:${port}`,
    dir: options.dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
