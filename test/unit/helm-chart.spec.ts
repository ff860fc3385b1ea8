import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import { configSchema } from '../../src/config/config.schema';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { ChartRenderer, HelmFail, type RenderedObject } from '../support/helm-render';

/**
 * The Helm chart (deploy/helm/cbapi), checked without a `helm` binary (none can be installed here):
 * values.yaml against values.schema.json with Ajv, every template rendered by our Go-template subset
 * renderer, every object validated against the Kubernetes OpenAPI schemas (kubernetes-models), and
 * the wiring between objects checked. Not run: `helm lint` and `helm template` themselves.
 */
const CHART = path.join(__dirname, '..', '..', 'deploy', 'helm', 'cbapi');
const SECRETS = {
  databaseUrl: 'postgres://cbapi_app:app-password@db:5432/cbapi',
  migrationDatabaseUrl: 'postgres://cbapi:owner-password@db:5432/cbapi',
  redisUrl: 'redis://redis:6379',
  jwtSecret: 'j'.repeat(64),
  hashSecret: 'h'.repeat(64),
};

const values = YAML.parse(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8'));
const validateValues = new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')));
const renderer = new ChartRenderer(CHART);

/** The kinds the chart renders. */
interface Kinds {
  Deployment: IDeployment;
  Job: IJob;
  Service: IService;
  Secret: ISecret;
  PodDisruptionBudget: IPodDisruptionBudget;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
}
/** An object with every optional field read as present: the test reads what the chart sets, and a missing one fails where it is read. */
type AsRendered<T> = T extends (infer U)[] ? AsRendered<U>[] : T extends object ? { [K in keyof T]-?: AsRendered<T[K]> } : T;
type Deployment = AsRendered<IDeployment>;
type Container = Deployment['spec']['template']['spec']['containers'][number];

async function kubernetesProblems(object: RenderedObject | Deployment): Promise<string | undefined> {
  // ESM-only package: one module per apiVersion/kind (e.g. kubernetes-models/apps/v1/Deployment).
  const mod = await import(`kubernetes-models/${object.apiVersion}/${object.kind}`);
  try {
    new mod[object.kind](object).validate();
    return undefined;
  } catch (err) {
    return `${object.kind}/${object.metadata?.name}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const byKind = <K extends keyof Kinds>(objects: { object: RenderedObject }[], kind: K) =>
  objects.map((o) => o.object).filter((o) => o.kind === kind) as unknown as AsRendered<Kinds[K]>[];
const containerOf = (deployment: Deployment | undefined) => deployment!.spec.template.spec.containers[0];
const envNames = (container: Pick<Container, 'env'>): string[] => container.env.map((e) => e.name);

describe('Helm chart deploy/helm/cbapi', () => {
  const rendered = renderer.render({ secrets: SECRETS });
  const objects = rendered.map((r) => r.object);
  const deployment = (component: string) => byKind(rendered, 'Deployment').find((d) => d.metadata.labels['app.kubernetes.io/component'] === component)!;

  it('values.yaml satisfies values.schema.json, and the schema rejects bad values', () => {
    expect(validateValues(values)).toBe(true);
    expect(validateValues({ ...values, secrets: { jwtSecret: 'short' } })).toBe(false);
    expect(validateValues({ ...values, api: { ...values.api, port: 'http' } })).toBe(false);
    expect(validateValues({ ...values, config: { ...values.config, DATABASE_URL: 'postgres://x' } })).toBe(false); // secrets go in `secrets`
    expect(validateValues({ ...values, typo: true })).toBe(false);
  });

  it('renders every template, and every object is valid against the Kubernetes schemas', async () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/shop-cbapi-api',
      'Deployment/shop-cbapi-worker',
      'HorizontalPodAutoscaler/shop-cbapi-api',
      'Job/shop-cbapi-migrate',
      'PodDisruptionBudget/shop-cbapi-api',
      'PodDisruptionBudget/shop-cbapi-worker',
      'Secret/shop-cbapi',
      'Secret/shop-cbapi-migration',
      'Service/shop-cbapi-api',
    ]);
    const problems = (await Promise.all(objects.map(kubernetesProblems))).filter(Boolean);
    expect(problems).toEqual([]);
    // The validator has teeth: a port name where a number belongs is caught.
    const broken = structuredClone(deployment('api'));
    (containerOf(broken).ports[0] as { containerPort: unknown }).containerPort = 'http';
    expect(await kubernetesProblems(broken)).toMatch(/containerPort must be integer/);
  });

  it('probes the API on /health/live and /health/ready, the worker on its own port, and scales the API with an HPA', () => {
    const api = containerOf(deployment('api'));
    expect([api.startupProbe.httpGet.path, api.livenessProbe.httpGet.path, api.readinessProbe.httpGet.path]).toEqual(['/health/live', '/health/live', '/health/ready']);
    expect(api.command).toEqual(['node', 'dist/src/main.js']);
    const worker = containerOf(deployment('worker'));
    expect(worker.command).toEqual(['node', 'dist/src/worker.js']);
    expect(worker.ports).toEqual([{ name: 'http', containerPort: values.worker.httpPort }]);
    expect([worker.livenessProbe.httpGet.path, worker.readinessProbe.httpGet.path]).toEqual(['/health/live', '/health']);
    expect(worker.env.find((e) => e.name === 'WORKER_HTTP_PORT')!.value).toBe(String(values.worker.httpPort));
    expect(api.env.find((e) => e.name === 'METRICS_PORT')!.value).toBe(String(values.api.metricsPort));
    const [hpa] = byKind(rendered, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment('api').metadata.name });
    expect(deployment('api').spec.replicas).toBeUndefined(); // the HPA owns the count
  });

  it('selects the right pods from the Service and the PodDisruptionBudgets', () => {
    const matches = (selector: Record<string, string>, d: Deployment | undefined) =>
      Object.entries(selector).every(([k, v]) => d!.spec.template.metadata.labels[k] === v);
    const [service] = byKind(rendered, 'Service');
    expect(matches(service.spec.selector, deployment('api'))).toBe(true);
    expect(matches(service.spec.selector, deployment('worker'))).toBe(false);
    for (const pdb of byKind(rendered, 'PodDisruptionBudget')) {
      const component = pdb.metadata.labels['app.kubernetes.io/component'];
      expect(matches(pdb.spec.selector.matchLabels, deployment(component))).toBe(true);
      expect(pdb.spec.minAvailable).toBeLessThan(component === 'api' ? values.api.autoscaling.minReplicas : values.worker.replicas);
    }
  });

  it('migrates before install and upgrade as the schema owner, while the app gets only the runtime role', () => {
    const [job] = byKind(rendered, 'Job');
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const migrate = job.spec.template.spec.containers[0];
    expect(migrate.command).toEqual(['node', 'dist/src/database/migrate.js']);
    expect(envNames(migrate)).toEqual(expect.arrayContaining(['MIGRATION_DATABASE_URL', 'DATABASE_URL']));
    const secrets: Record<string, AsRendered<ISecret>> = Object.fromEntries(byKind(rendered, 'Secret').map((s) => [s.metadata.name, s]));
    expect(secrets['shop-cbapi'].stringData).toEqual({ DATABASE_URL: SECRETS.databaseUrl, REDIS_URL: SECRETS.redisUrl, JWT_SECRET: SECRETS.jwtSecret, HASH_SECRET: SECRETS.hashSecret });
    expect(secrets['shop-cbapi-migration'].stringData).toEqual({ MIGRATION_DATABASE_URL: SECRETS.migrationDatabaseUrl });
    // Secrets are hooks that run before the Job, so they exist on a first install.
    for (const s of Object.values(secrets)) expect(Number(s.metadata.annotations['helm.sh/hook-weight'])).toBeLessThan(Number(job.metadata.annotations['helm.sh/hook-weight']));
    for (const component of ['api', 'worker']) {
      const env = containerOf(deployment(component)).env;
      expect(envNames({ env })).not.toContain('MIGRATION_DATABASE_URL');
      expect(env.find((e) => e.name === 'DATABASE_URL')!.valueFrom.secretKeyRef).toEqual({ name: 'shop-cbapi', key: 'DATABASE_URL' });
    }
  });

  it('sets only settings the app knows, drains within the grace period, and requests the measured memory', () => {
    const known = new Set(Object.keys(configSchema.shape).concat('MIGRATION_DATABASE_URL'));
    for (const o of [...byKind(rendered, 'Deployment'), ...byKind(rendered, 'Job')]) {
      expect(envNames(o.spec.template.spec.containers[0]).filter((name) => !known.has(name))).toEqual([]);
    }
    for (const component of ['api', 'worker']) {
      const d = deployment(component);
      const env = Object.fromEntries(containerOf(d).env.filter((e) => 'value' in e).map((e) => [e.name, e.value]));
      expect(d.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(env.SHUTDOWN_TIMEOUT_MS));
      expect(Number(env.SHUTDOWN_DRAIN_DELAY_MS)).toBeLessThan(Number(env.SHUTDOWN_TIMEOUT_MS));
      expect(containerOf(d).resources).toEqual(values[component].resources);
    }
    expect(values.api.resources.requests.memory).toBe('512Mi');
    expect(values.worker.resources.requests.memory).toBe('320Mi');
  });

  it('refuses to render without the secrets, or with a grace period shorter than the shutdown deadline', () => {
    expect(() => renderer.render({})).toThrow(HelmFail);
    expect(() => renderer.render({})).toThrow(/^secrets\.\w+ .* is required, or set secrets\.existing\w*Secret$/);
    expect(() => renderer.render({ secrets: SECRETS, shutdown: { terminationGracePeriodSeconds: 10 } })).toThrow(/terminationGracePeriodSeconds must exceed/);
  });

  it('uses Secrets the operator manages when named, and creates none', () => {
    const ownRendered = renderer.render({ secrets: { existingSecret: 'cbapi-app', existingMigrationSecret: 'cbapi-owner' } });
    const own = ownRendered.map((r) => r.object);
    expect(own.filter((o) => o.kind === 'Secret')).toEqual([]);
    const api = byKind(ownRendered, 'Deployment').find((o) => o.metadata.name.endsWith('-api'));
    expect(containerOf(api).env.find((e) => e.name === 'JWT_SECRET')!.valueFrom.secretKeyRef.name).toBe('cbapi-app');
    const [job] = byKind(ownRendered, 'Job');
    expect(job.spec.template.spec.containers[0].env.find((e) => e.name === 'MIGRATION_DATABASE_URL')!.valueFrom.secretKeyRef.name).toBe('cbapi-owner');
  });
});
