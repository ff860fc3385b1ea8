import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../../src/app.factory';
import { resetConfigCache } from '../../src/config/config';
import { HttpClient } from './http-client';

export interface TestApp {
  app: NestFastifyApplication;
  http: HttpClient;
  close: () => Promise<void>;
}

/** The real application on the test database and Redis, as production builds it. */
export async function startTestApp(options: CreateAppOptions = {}): Promise<TestApp> {
  resetConfigCache();
  const app = await createApp(options);
  return { app, http: new HttpClient(app), close: () => app.close() };
}
