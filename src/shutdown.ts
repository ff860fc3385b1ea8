/**
 * Nest closes the HTTP server, in-flight requests, workers and pools on SIGTERM. If that hangs,
 * this deadline ends the process so an orchestrator's stop never waits forever.
 */
export function installShutdownDeadline(timeoutMs: number): void {
  const arm = () => setTimeout(() => {
    process.stderr.write(`Shutdown did not finish within ${timeoutMs} ms; exiting\n`);
    process.exit(1);
  }, timeoutMs).unref();
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
