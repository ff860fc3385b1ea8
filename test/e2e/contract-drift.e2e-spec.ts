import { HTTP_METHODS, specOperations } from '../support/openapi-validator';
import { startTestApp, type TestApp } from '../support/app';

/** Routes Fastify serves that are not part of the API contract (Swagger UI, the operators' queue dashboard). */
const OUTSIDE_CONTRACT = [/^\/docs(\/|$|-)/, /^\/admin\/queues(\/|$)/];

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
  afterAll(async () => {
    await t.close();
  });

  it('serves every operation of openapi.yaml', () => {
    const missing = specOperations().filter((op) => !served.has(op));
    expect(missing).toEqual([]);
  });

  it('has every served route in openapi.yaml', () => {
    const spec = new Set(specOperations());
    const undocumented = [...served].filter((op) => !spec.has(op)).sort();
    expect(undocumented).toEqual([]);
  });
});
