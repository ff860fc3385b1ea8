import type { ChildProcess } from 'node:child_process';

/**
 * Every API, worker or server process a test file starts. A test that times out before it holds the handle
 * (say, while the child is still booting) cannot kill it in its own afterAll; the child would keep its
 * database connections and transactions, and disturb the files after it. The e2e setup kills what is left.
 */
const alive = new Set<ChildProcess>();

export function trackChild<T extends ChildProcess>(child: T): T {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  return child;
}

export async function killTrackedChildren(): Promise<void> {
  await Promise.all(
    [...alive].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  alive.clear();
}
