/**
 * Import this FIRST in a process entry point (main.ts, worker.ts): it starts tracing before pg,
 * ioredis and http are required, so their instrumentations can patch them. CommonJS runs imports
 * in order; anything imported above this line would load uninstrumented.
 */
import { loadConfig } from '../../config/config';
import { startTracing } from './tracing';

startTracing(loadConfig(), require.main?.filename);
