import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** SMTP transports by URL, built once and closed on shutdown. The worker's only door to SMTP. */
@Injectable()
export class MailTransportService implements OnApplicationShutdown {
  private readonly transports = new Map<string, Transporter<SMTPTransport.SentMessageInfo>>();

  private transport(url: string): Transporter<SMTPTransport.SentMessageInfo> {
    let transport = this.transports.get(url);
    if (!transport) {
      // nodemailer is required with the first message, not at boot: the API process never sends one.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (see above)
      const { createTransport } = require('nodemailer') as typeof import('nodemailer');
      transport = createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
      this.transports.set(url, transport);
    }
    return transport;
  }

  /** Sends one message; throws on any SMTP error (the job retries). Returns the server-accepted Message-ID. */
  async send(url: string, mail: OutgoingMail): Promise<string> {
    const info = await this.transport(url).sendMail(mail);
    if (info.rejected && info.rejected.length > 0 && info.accepted.length === 0) {
      throw new Error(`SMTP server rejected every recipient: ${info.response}`);
    }
    return info.messageId ?? mail.messageId;
  }

  onApplicationShutdown(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }
}
