import { resetConfigCache } from '../../src/config/config';

/**
 * Sets `settings` in the environment and answers the function that puts back what was there
 * before (unset names unset again) and drops the cached config, so the next app reads it afresh.
 */
export function setEnv(settings: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfigCache();
  };
}

/** Runs `work` with these settings in the environment, restored afterwards. */
export async function withEnv<T>(settings: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const restore = setEnv(settings);
  try {
    return await work();
  } finally {
    restore();
  }
}
