import { renderInventoryAlertMail } from './inventory-alert.template';
import { renderInvoiceMail } from './invoice.template';
import type { RenderedMail } from './rendered-mail';
import { renderTicketMail } from './ticket.template';
import { renderVerifyEmailMail } from './verify-email.template';

export type { RenderedMail } from './rendered-mail';
export { TemplateDataError } from './rendered-mail';

export const MAIL_TEMPLATES = {
  invoice: renderInvoiceMail,
  inventory_alert: renderInventoryAlertMail,
  ticket: renderTicketMail,
  verify_email: renderVerifyEmailMail,
} as const satisfies Record<string, (data: Record<string, unknown>) => RenderedMail>;

export type MailTemplate = keyof typeof MAIL_TEMPLATES;

export function isMailTemplate(value: unknown): value is MailTemplate {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(MAIL_TEMPLATES, value);
}

/** Renders one message; throws TemplateDataError when the data lacks what the template needs. */
export function renderMail(template: MailTemplate, data: Record<string, unknown>): RenderedMail {
  return MAIL_TEMPLATES[template](data);
}
