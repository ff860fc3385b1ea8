import { escapeHtml } from '../../../platform/html/html';
import { oneLine, safeUrl } from './escape';
import { htmlDocument, requireString, TemplateDataError, type RenderedMail } from './rendered-mail';

/** data: `tenant_name`, `url` (http/https, the verification link), `expires_at` (ISO 8601). */
export function renderVerifyEmailMail(data: Record<string, unknown>): RenderedMail {
  const tenantName = requireString(data, 'tenant_name', 'verify_email');
  const expiresAt = requireString(data, 'expires_at', 'verify_email');
  const url = safeUrl(data.url);
  if (!url) throw new TemplateDataError('verify_email mail needs an http(s) url');
  const subject = oneLine(`Confirm your e-mail address for ${tenantName}`);
  const text = [
    `Follow this link to confirm your e-mail address and enable live mode for ${oneLine(tenantName)}:`,
    '',
    url,
    '',
    `The link is valid until ${expiresAt}. If you did not sign up, ignore this message.`,
  ].join('\n');
  const html = htmlDocument(
    escapeHtml(subject),
    `<p>Follow this link to confirm your e-mail address and enable live mode for <strong>${escapeHtml(tenantName)}</strong>:</p>` +
      `<p><a href="${escapeHtml(url)}">Confirm my e-mail address</a></p>` +
      `<p>The link is valid until ${escapeHtml(expiresAt)}. If you did not sign up, ignore this message.</p>`,
  );
  return { subject, text, html };
}
