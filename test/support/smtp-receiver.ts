import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = ParsedMail & { envelopeTo: string[] };

/**
 * A real SMTP server on a free port of 127.0.0.1 that parses and keeps the messages sent to the
 * addresses it watches (other test files' tenants share the database and the mail they cause must
 * not be counted here).
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  private readonly watched = new Set<string>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      simpleParser(stream).then((mail) => {
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        if (envelopeTo.some((a) => this.watched.has(a))) this.messages.push(Object.assign(mail, { envelopeTo }));
        callback();
      }, callback);
    },
  });

  /** Starts listening; answers the `smtp://` URL to put in SMTP_URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  watch(...addresses: string[]): void {
    for (const a of addresses) this.watched.add(a.toLowerCase());
  }

  /** The messages to `address`, in arrival order. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.envelopeTo.includes(address.toLowerCase()));
  }

  /** Waits until `address` has received at least `count` messages (polling, no fixed sleep); returns them. */
  async waitFor(address: string, count: number, timeoutMs = 20000): Promise<ReceivedMail[]> {
    const until = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} e-mail(s) to ${address}, got ${this.to(address).length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.to(address);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
