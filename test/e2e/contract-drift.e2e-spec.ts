import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { AUTH_POLICY } from '../../src/platform/auth/auth.decorator';
import { HTTP_METHODS, specOperations } from '../support/openapi-validator';
import { startTestApp, type TestApp } from '../support/app';

/** Routes Fastify serves that are not part of the API contract (Swagger UI, the operators' queue dashboard). */
const OUTSIDE_CONTRACT = [/^\/docs(\/|$|-)/, /^\/admin\/queues(\/|$)/];
/** Nest routes that carry no access policy on purpose: probes and the scrape, which no guard counts. */
const WITHOUT_POLICY = ['GET /health/live', 'GET /health/ready', 'GET /metrics'];

interface NestRoute {
  /** `GET /pay/{}`, as declared on the controller (no global prefix). */
  op: string;
  hasPolicy: boolean;
}

/** Every route declared on a Nest controller, with whether it carries an @Auth/@Public policy. */
function nestRoutes(t: TestApp): NestRoute[] {
  const reflector = t.app.get(Reflector);
  const routes: NestRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat() as string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const hasPolicy = reflector.getAllAndOverride(AUTH_POLICY, [handler, controller]) !== undefined;
        for (const b of base) {
          for (const p of [paths].flat()) {
            const path = `/${[b, p].map((x) => x.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`.replace(/:[A-Za-z0-9_]+/g, '{}');
            routes.push({ op: `${method} ${path}`, hasPolicy });
          }
        }
      }
    }
  }
  return routes;
}

describe('contract drift (e2e)', () => {
  let t: TestApp;
  const served = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp({
      beforeInit: (fastify) =>
        fastify.addHook('onRoute', (route) => {
          const methods = Array.isArray(route.method) ? route.method : [route.method];
          for (const method of methods) {
            if (!HTTP_METHODS.includes(method.toLowerCase() as never)) continue;
            if (OUTSIDE_CONTRACT.some((re) => re.test(route.url))) continue;
            served.add(`${method.toUpperCase()} ${route.url.replace(/:[A-Za-z0-9_]+/g, '{}').replace(/\/$/, '') || '/'}`);
          }
        }),
    });
  });
  afterAll(() => t.close());

  it('serves every operation of openapi.yaml', () => {
    const missing = specOperations().filter((op) => !served.has(op));
    expect(missing).toEqual([]);
  });

  it('has every served route in openapi.yaml', () => {
    const spec = new Set(specOperations());
    const undocumented = [...served].filter((op) => !spec.has(op)).sort();
    expect(undocumented).toEqual([]);
  });

  it('serves every route through a Nest controller (guards, filters, metrics apply): nothing is mounted on Fastify beside Nest', () => {
    const declared = new Set(nestRoutes(t).flatMap(({ op }) => {
      const [method, path] = op.split(' ');
      return [op, `${method} /api/v1${path === '/' ? '' : path}`];
    }));
    const bypassing = [...served].filter((op) => !declared.has(op)).sort();
    expect(bypassing).toEqual([]);
    // The hosted pages are among them, at the site root (outside /api/v1).
    expect([...served].filter((op) => / \/(pay|r)\//.test(op)).sort()).toEqual(['GET /pay/{}', 'GET /r/{}', 'POST /pay/{}', 'POST /r/{}']);
  });

  it('has an access policy (@Auth or @Public) on every Nest route but the health probes and the metrics scrape', () => {
    const missing = nestRoutes(t).filter((r) => !r.hasPolicy).map((r) => r.op).sort();
    expect(missing).toEqual([...WITHOUT_POLICY].sort());
  });
});
