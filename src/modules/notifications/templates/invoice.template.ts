import { escapeHtml } from '../../../platform/html/html';
import { oneLine, safeUrl } from './escape';
import { formatMoney } from '../../../platform/money/format-money';
import { htmlDocument, optionalString, requireInteger, requireString, TemplateDataError, type RenderedMail } from './rendered-mail';

/**
 * data: `number` (invoice number), `amount` (integer minor units), `currency` (ISO 4217),
 * `hosted_invoice_url` (http/https), optional `due_date` (ISO date), `tenant_name`, `customer_name`.
 */
export function renderInvoiceMail(data: Record<string, unknown>): RenderedMail {
  const number = requireString(data, 'number', 'invoice');
  const amount = formatMoney(requireInteger(data, 'amount', 'invoice'), requireString(data, 'currency', 'invoice'));
  const url = safeUrl(data.hosted_invoice_url);
  if (!url) throw new TemplateDataError('invoice mail needs an http(s) hosted_invoice_url');
  const dueDate = optionalString(data, 'due_date');
  const from = optionalString(data, 'tenant_name');
  const customer = optionalString(data, 'customer_name');

  const subject = oneLine(`Invoice ${number}${from ? ` from ${from}` : ''}: ${amount}${dueDate ? ` due ${dueDate}` : ''}`);
  const text = [
    customer ? `Hello ${oneLine(customer)},` : 'Hello,',
    '',
    `Invoice ${oneLine(number)}${from ? ` from ${oneLine(from)}` : ''} for ${amount} is ready.`,
    dueDate ? `It is due on ${oneLine(dueDate)}.` : null,
    '',
    `View and pay it here: ${url}`,
  ].filter((l) => l !== null).join('\n');
  const html = htmlDocument(
    escapeHtml(subject),
    `<p>${customer ? `Hello ${escapeHtml(customer)},` : 'Hello,'}</p>` +
      `<p>Invoice <strong>${escapeHtml(number)}</strong>${from ? ` from ${escapeHtml(from)}` : ''} for <strong>${escapeHtml(amount)}</strong> is ready.` +
      `${dueDate ? ` It is due on ${escapeHtml(dueDate)}.` : ''}</p>` +
      `<p><a href="${escapeHtml(url)}">View and pay invoice ${escapeHtml(number)}</a></p>`,
  );
  return { subject, text, html };
}
