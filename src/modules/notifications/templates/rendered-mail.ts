/** What a template produces: a subject line, a plain-text body and a simple HTML body. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export class TemplateDataError extends Error {}

export function requireString(data: Record<string, unknown>, field: string, template: string): string {
  const value = data[field];
  if (typeof value !== 'string' || value.trim() === '') throw new TemplateDataError(`${template} mail needs a non-empty string ${field}`);
  return value;
}

export function requireInteger(data: Record<string, unknown>, field: string, template: string): number {
  const value = data[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TemplateDataError(`${template} mail needs an integer ${field}`);
  return value;
}

export function optionalString(data: Record<string, unknown>, field: string): string | null {
  const value = data[field];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Wraps body HTML in the minimal document every message shares. */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#222">${body}</body></html>`;
}
