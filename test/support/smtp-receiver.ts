import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait';

export type ReceivedMail = ParsedMail & { envelopeTo: string[] };

/** Which messages a wait is for: those to an address (envelope recipient), or those a predicate accepts. */
export type MailMatch = string | ((mail: ReceivedMail) => boolean);

/**
 * A real SMTP server on a free port of 127.0.0.1 that parses and keeps the messages it accepts:
 * all of them, or once `watch` named addresses, only those to them. Other test files' tenants share
 * the database and a worker may send it their stale mail, so a test reads its own through
 * `to(match)` / `waitForMail(match)`, or watches its addresses before counting `messages`.
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  private readonly watched = new Set<string>();
  /** Addresses whose next RCPT TO is refused once with a temporary error (to exercise retries). */
  readonly refuseOnce = new Set<string>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (this.refuseOnce.delete(address.address.toLowerCase())) return callback(new Error('450 try again later'));
      callback();
    },
    onData: (stream, session, callback) => {
      simpleParser(stream).then((mail) => {
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        if (this.watched.size === 0 || envelopeTo.some((a) => this.watched.has(a))) this.messages.push(Object.assign(mail, { envelopeTo }));
        callback();
      }, callback);
    },
  });

  /** Starts listening; answers the `smtp://` URL to put in SMTP_URL (or SANDBOX_SMTP_URL). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Keeps only mail to these addresses (and to those of earlier calls) from now on. */
  watch(...addresses: string[]): void {
    for (const a of addresses) this.watched.add(a.toLowerCase());
  }

  /** The messages `match` selects, in arrival order. */
  to(match: MailMatch): ReceivedMail[] {
    const accepts = typeof match === 'string' ? (m: ReceivedMail) => m.envelopeTo.includes(match.toLowerCase()) : match;
    return this.messages.filter(accepts);
  }

  /** Waits (on a condition, no fixed sleep) until `match` selects at least `count` messages; returns them all, in arrival order. */
  async waitForMail(match: MailMatch, count = 1, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    const what = `${count} e-mail(s) ${typeof match === 'string' ? `to ${match}` : 'matching'}`;
    return waitFor(what, () => {
      const found = this.to(match);
      return found.length >= count && found;
    }, timeoutMs);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
