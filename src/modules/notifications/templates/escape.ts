/** One line of plain text: no CR/LF (a subject must never carry a header break), trimmed, bounded. */
export function oneLine(value: unknown, max = 200): string {
  const flat = String(value ?? '').replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is dropped. */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}
