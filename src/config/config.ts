import { configSchema, type AppConfig } from './config.schema';

export type { AppConfig } from './config.schema';

export class ConfigError extends Error {}

/** Parses an environment into settings; the error names each bad variable and what it expects. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const name = i.path.join('.') || '(environment)';
    const got = cleaned[name] === undefined ? 'missing' : 'invalid';
    return `${name} is ${got}: expected ${i.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}

let cached: AppConfig | undefined;

/** The process's settings, read once. Prints one line and exits when a value is missing or malformed. */
export function loadConfig(): AppConfig {
  if (cached) return cached;
  try {
    cached = parseConfig(process.env);
    return cached;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Tests change settings between app instances; this drops the cached copy. */
export function resetConfigCache(): void {
  cached = undefined;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
