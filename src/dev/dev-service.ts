import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/**
 * A failure of a database or Redis that `npm start` or the e2e setup runs for the developer. Its
 * message is one line that says what to do; callers print it alone, never with a stack.
 */
export class DevServiceError extends Error {
  override name = 'DevServiceError';
}

/** Appends a child's output to its log file and keeps the last lines for a one-line error message. */
export class LogTail {
  private readonly stream: fs.WriteStream;
  private readonly recent: string[] = [];
  private readonly listeners: ((line: string) => void)[] = [];
  private partial = '';

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file, { flags: 'a' });
    this.stream.on('error', () => {}); // a log we cannot write must not end the process
  }

  write(chunk: Buffer | string): void {
    if (!this.stream.writableEnded) this.stream.write(chunk);
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      this.recent.push(line);
      for (const listener of this.listeners) listener(line);
    }
    this.recent.splice(0, Math.max(0, this.recent.length - 30));
  }

  onLine(listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  /** The recent lines that explain a failure, without timestamps and levels, joined by "; ". */
  problems(): string {
    return this.recent
      .filter((l) => /could not|FATAL|ERROR|PANIC|denied|in use/i.test(l))
      .map((l) => l.replace(/^.*?\b(LOG|FATAL|ERROR|PANIC|WARNING):\s+/, '').replace(/^\d+:[A-Z] [^*#]*[*#] /, ''))
      .slice(-3)
      .join('; ');
  }

  close(): void {
    if (!this.stream.writableEnded) this.stream.end();
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
