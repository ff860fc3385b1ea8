import { Module, RequestMethod, type ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfig } from './config/config';
import { AuthService } from './modules/identity/auth.service';
import { OAuthCorsService } from './modules/oauth/oauth-cors.service';
import { ADMIN_ROLES } from './platform/auth/auth.decorator';
import { RequestContext } from './platform/context/request-context';
import { mountQueueDashboard } from './platform/queue/queue-dashboard';
import { QueueService } from './platform/queue/queue.service';
import { createValidationPipe } from './platform/http/validation.pipe';
import { genRequestId } from './platform/http/request-id';
import { clientErrorHandler, frameworkErrorHandler, installInputGuards } from './platform/http/framework-errors';
import { registerCors } from './platform/http/cors';
import { keepRawBody } from './platform/http/raw-body';
import { MetricsService } from './platform/metrics/metrics.service';
import { loadSpec } from './platform/openapi/spec-file';
import { nameServerSpansByRoute } from './platform/tracing/http-route';

export const API_PREFIX = 'api/v1';

export interface CreateAppOptions {
  /** Called with the Fastify instance before routes are registered (tests collect routes here). */
  beforeInit?: (fastify: FastifyInstance) => void;
  bufferLogs?: boolean;
  /** Extra modules mounted beside the application (tests mount fixture routes this way). */
  extraModules?: NonNullable<ModuleMetadata['imports']>;
}

/** Builds the API application exactly as production runs it; main.ts and the e2e tests both use this. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const adapter = new FastifyAdapter({
    genReqId: genRequestId,
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // A hop-count function, not the number: Fastify 5.12 treats a numeric trustProxy as "trust
    // nobody", so every client behind the proxies would share the proxy's address (one per-IP bucket
    // for all). Trusting the first N hops (the socket peer and the proxies before it) is the setting's meaning.
    trustProxy: config.TRUST_PROXY_HOPS > 0 ? (_address: string, hop: number) => hop < config.TRUST_PROXY_HOPS : false,
    // maxParamLength: a domain name to check (GET /domains/check/{name}) is up to 253 ASCII characters,
    // and an IDN percent-encoded is several times longer than it reads; Fastify's default of 100 would 404 it.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  let root: new () => object = AppModule;
  if (options.extraModules?.length) {
    class RootWithExtras {}
    Module({ imports: [AppModule, ...options.extraModules] })(RootWithExtras);
    root = RootWithExtras;
  }
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: options.bufferLogs ?? true });
  app.useLogger(app.get(Logger));
  // No enableShutdownHooks: closing at once on SIGTERM would skip the drain. main.ts drains and closes.

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  installInputGuards(fastify);
  // Inbound webhooks (Stripe's, carriers' tracking updates) are signed over their raw body.
  keepRawBody(fastify, (url) => {
    const path = url.split('?')[0].replace(/\/+$/, '');
    return path === `/${API_PREFIX}/webhooks/stripe` || new RegExp(`^/${API_PREFIX}/shipping/carriers/[^/]+/webhooks/`).test(path);
  });
  // The OAuth token and revocation endpoints answer CORS for public clients' registered origins (data, not config).
  await registerCors(fastify, { origins: config.CORS_ORIGINS, credentialsOrigins: config.CORS_CREDENTIALS_ORIGINS, dataDriven: app.get(OAuthCorsService) });
  nameServerSpansByRoute(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  options.beforeInit?.(fastify);

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      // The hosted pages (HTML, the link's token is the credential) live at the site root.
      { path: 'pay/:token', method: RequestMethod.GET },
      { path: 'pay/:token', method: RequestMethod.POST },
      { path: 'r/:token', method: RequestMethod.GET },
      { path: 'r/:token', method: RequestMethod.POST },
      // OAuth 2.0: the consent page and the protocol endpoints live at the site root, as their RFCs expect.
      { path: 'oauth/authorize', method: RequestMethod.GET },
      { path: 'oauth/authorize', method: RequestMethod.POST },
      { path: 'oauth/token', method: RequestMethod.POST },
      { path: 'oauth/revoke', method: RequestMethod.POST },
      { path: 'oauth/introspect', method: RequestMethod.POST },
      { path: '.well-known/oauth-authorization-server', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());

  if (config.OPERATOR_TENANT_ID) {
    const operatorTenant = config.OPERATOR_TENANT_ID;
    const auth = app.get(AuthService);
    await mountQueueDashboard(fastify, app.get(QueueService), async (token) => {
      const ctx = await auth.authenticate(RequestContext.anonymous('dashboard'), token);
      const isOperator = ctx.tenantId === operatorTenant && ctx.actor.kind === 'user' && ADMIN_ROLES.includes(ctx.actor.role);
      return isOperator ? 'ok' : 403;
    });
  }

  // A factory, not the document: the 800 KB spec is parsed on the first /docs request instead of at
  // every boot (up to 1.3 s of YAML parsing, whose garbage filled the old space, and 6.7 MB kept live).
  SwaggerModule.setup('docs', app, loadSpec, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'Commerce & Billing API',
    // The token pasted into "Authorize" survives a reload of /docs (kept in the browser's localStorage).
    swaggerOptions: { persistAuthorization: true },
  });

  await app.init();
  await fastify.ready();
  return app;
}
