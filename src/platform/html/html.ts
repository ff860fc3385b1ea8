/**
 * HTML for the server-rendered pages (hosted invoice, checkout) and the e-mails. Every value that
 * came from a tenant, a customer or a visitor goes through `escapeHtml` before it meets markup.
 */

/** Escapes text for HTML element content and quoted attribute values (backtick too, for old parsers). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/`/g, '&#96;');
}

/** A hosted page's document: no index, mobile viewport, inline style only (their CSP allows nothing else). */
export function htmlPage(title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>${body}</body></html>
`;
}
