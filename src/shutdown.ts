/**
 * Graceful stop on SIGTERM/SIGINT for a process run on its own (main.ts, worker.ts): `close` drains
 * (readiness 503 first, then in-flight requests and jobs finish, then pools close) and the process
 * exits 0. If that takes longer than the deadline it exits 1, so an orchestrator's stop never waits
 * forever; the orchestrator's own grace period (compose stop_grace_period, Kubernetes
 * terminationGracePeriodSeconds) must exceed SHUTDOWN_TIMEOUT_MS.
 */
export function exitGracefullyOnSignals(close: () => Promise<void>, timeoutMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return; // a second signal changes nothing; the deadline still holds
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`Shutdown did not finish within ${timeoutMs} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Shutdown after ${signal} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
