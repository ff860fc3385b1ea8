import { escapeHtml } from '../../../platform/html/html';
import { oneLine, safeUrl } from './escape';
import { htmlDocument, optionalString, requireString, TemplateDataError, type RenderedMail } from './rendered-mail';

export const TICKET_EXCERPT_CHARS = 280;

/** The first `max` characters of a body, whitespace collapsed, cut on a word boundary when one is near. */
export function excerpt(body: string, max = TICKET_EXCERPT_CHARS): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** data: `subject`, `body`, `url` (http/https), optional `ticket_id`, `event` ('created' | 'replied' | 'closed'). */
export function renderTicketMail(data: Record<string, unknown>): RenderedMail {
  const ticketSubject = requireString(data, 'subject', 'ticket');
  const body = excerpt(requireString(data, 'body', 'ticket'));
  const url = safeUrl(data.url);
  if (!url) throw new TemplateDataError('ticket mail needs an http(s) url');
  const ticketId = optionalString(data, 'ticket_id');
  const verb = data.event === 'replied' ? 'New reply on' : data.event === 'closed' ? 'Closed' : 'Ticket';

  const subject = oneLine(`${verb}${ticketId ? ` ${ticketId}` : ''}: ${ticketSubject}`);
  const text = [oneLine(ticketSubject), '', body, '', `View the ticket: ${url}`].join('\n');
  const html = htmlDocument(
    escapeHtml(subject),
    `<p><strong>${escapeHtml(ticketSubject)}</strong></p>` +
      `<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:12px">${escapeHtml(body)}</blockquote>` +
      `<p><a href="${escapeHtml(url)}">View the ticket</a></p>`,
  );
  return { subject, text, html };
}
