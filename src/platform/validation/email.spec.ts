import type { AddressInfo } from 'node:net';
import { domainToASCII } from 'node:url';
import { validate } from 'class-validator';
import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { SMTPServer } from 'smtp-server';
import { IsDeliverableEmail, isDeliverableEmail } from './email';

const ACCEPTED = [
  'a@example.com',
  'Ada.Lovelace@Example.test',
  'first+tag@sub.example.co.uk',
  "o'neil@example.com",
  'x_y-z@ex-ample.io',
  'a#b{c}|d@example.com',
  'user@xn--bcher-kva.example',
];

const REFUSED = [
  '"a,b"@example.com', // valid to class-validator's isEmail; a list or a quoted string to a mailer
  '"a b"@example.com',
  'a,b@example.com',
  'a;b@example.com',
  'a<b>@example.com',
  'a(comment)@example.com',
  'a b@example.com',
  '.a@example.com',
  'a.@example.com',
  'a..b@example.com',
  'a@localhost',
  'a@example',
  'a@-example.com',
  'a@example-.com',
  'a@exa_mple.com',
  'a@[127.0.0.1]',
  'a@123.123.123.123',
  'ä@example.com',
  'a@exämple.com',
  '@example.com',
  'a@',
  'a@@example.com',
  'a@example.com\n',
  `${'a'.repeat(65)}@example.com`,
  `a@${'b'.repeat(250)}.com`,
  '',
];

describe('isDeliverableEmail', () => {
  it.each(ACCEPTED)('accepts %s, which the mailer reads as exactly that one address', (address) => {
    expect(isDeliverableEmail(address)).toBe(true);
    expect(addressparser(address)).toEqual([{ address, name: '' }]);
  });

  it.each(REFUSED)('refuses %j', (address) => {
    expect(isDeliverableEmail(address)).toBe(false);
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 42, ['a@example.com'], { email: 'a@example.com' }]) expect(isDeliverableEmail(value)).toBe(false);
  });

  it('every accepted address goes through a real SMTP exchange unchanged', async () => {
    const recipients: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        recipients.push(address.address);
        callback();
      },
      onData: (stream, _session, callback) => {
        stream.on('end', () => callback());
        stream.resume();
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = createTransport({ url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}` });
    try {
      const info = await transport.sendMail({ from: 'shop@example.com', to: ACCEPTED, subject: 'hi', text: 'hi' });
      // The mailer folds the domain's case (domains are case-insensitive); the local part stays as typed.
      const expected = ACCEPTED.map((a) => a.slice(0, a.lastIndexOf('@')) + a.slice(a.lastIndexOf('@')).toLowerCase());
      expect(info.accepted).toEqual(expected);
      // smtp-server shows IDN domains decoded; back to their A-label form they are what was sent.
      expect(recipients.map((r) => r.slice(0, r.lastIndexOf('@') + 1) + domainToASCII(r.slice(r.lastIndexOf('@') + 1)))).toEqual(expected);
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('@IsDeliverableEmail', () => {
  class Body {
    @IsDeliverableEmail() email: unknown;
  }

  it('names the field in its message', async () => {
    const body = Object.assign(new Body(), { email: '"a,b"@example.com' });
    const [error] = await validate(body);
    expect(error.property).toBe('email');
    expect(Object.values(error.constraints ?? {})).toEqual(['email must be a plain e-mail address (name@example.com)']);
    expect(await validate(Object.assign(new Body(), { email: 'a@example.com' }))).toEqual([]);
  });
});
