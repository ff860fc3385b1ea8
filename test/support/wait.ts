/**
 * Waits for a condition instead of sleeping a fixed time: polls `probe` until it answers something
 * truthy and returns that, or fails after `timeoutMs` naming `what` it waited for.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`, { cause: lastError });
    }
    await pause(intervalMs);
  }
}

/**
 * A fixed pause. Only for a test whose point is that nothing happens within a window (a quiet
 * period proves an absence, which no condition can signal); say why at the call site.
 */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
