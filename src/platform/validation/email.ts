import { ValidateBy, type ValidationOptions } from 'class-validator';

/** RFC 5321's limits: the whole path, the local part, one DNS label. */
const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;

/**
 * The local part as a dot-atom of RFC 5322 `atext`: no quoted strings, comments, spaces, commas or
 * angle brackets, so an address never reads as a list or a display name to the mailer.
 */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** An ASCII host name with at least two labels; the top-level label is letters or an IDN `xn--` label. */
const DOMAIN = /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/**
 * The one e-mail check for every address that enters the system (sign-up, users, customers,
 * invoices, the checkout form, alert recipients). Stricter than class-validator's `isEmail`:
 * it accepts only plain `local@host.tld` addresses that the mailer (nodemailer over SMTP)
 * delivers as they are, so a stored address can never poison a mail job later.
 */
export function isDeliverableEmail(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_ADDRESS) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= MAX_LOCAL && LOCAL_PART.test(local) && DOMAIN.test(domain);
}

export const DELIVERABLE_EMAIL_MESSAGE = 'must be a plain e-mail address (name@example.com)';

/** class-validator decorator for DTOs: `@IsDeliverableEmail() email: string`. */
export function IsDeliverableEmail(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDeliverableEmail',
      validator: {
        validate: (value) => isDeliverableEmail(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} ${DELIVERABLE_EMAIL_MESSAGE}`,
      },
    },
    options,
  );
}
