import { SetMetadata } from '@nestjs/common';

export const BACKGROUND_LOOP = 'cbapi:background-loop';

/**
 * Marks a provider method `(signal: AbortSignal) => Promise<void>` as a loop the worker runs for
 * its whole life (e.g. the outbox relay). The worker aborts the signal on shutdown and waits.
 */
export function BackgroundLoop(name: string): MethodDecorator {
  return SetMetadata(BACKGROUND_LOOP, name);
}
