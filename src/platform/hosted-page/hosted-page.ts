import type { FastifyReply } from 'fastify';

/** Metadata key: which hosted page a route serves (`pay`, `checkout`), set by @HostedPage. */
export const HOSTED_PAGE_FAMILY = 'cbapi:hosted-page-family';

/** What a hosted page route answers: an HTML page (with extra headers such as Retry-After), or a redirect. */
export type HostedAnswer =
  | { status: number; html: string; headers?: Record<string, string> }
  | { status: 303; location: string };

/** Sends an answer with the page's security headers; a redirect carries only Location and no-store. */
export function sendHostedAnswer(reply: FastifyReply, answer: HostedAnswer, pageHeaders: Readonly<Record<string, string>>): void {
  if ('location' in answer) {
    reply.code(303).header('Location', answer.location).header('Cache-Control', 'no-store').send();
    return;
  }
  reply.code(answer.status).headers({ ...pageHeaders, ...answer.headers }).send(answer.html);
}

/** A wait in words for a page, rounded up: "30 seconds", "2 minutes", "about 5 hours". */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `about ${hours} hour${hours === 1 ? '' : 's'}`;
}
