import { SERVICES_KEY } from './global-setup';
import type { TestServices } from './test-services';

/** Stops the PostgreSQL and redis-server the global setup started for this run (if it did). */
export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>)[SERVICES_KEY] as TestServices | undefined;
  await services?.stop();
}
