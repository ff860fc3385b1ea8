import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { RequestContext } from '../platform/context/request-context';
import { TenantsService } from '../modules/identity/tenants.service';
import { ANALYTICS_REBUILD_USAGE, rebuildAnalytics, rebuildOptions } from './analytics-rebuild';
import { CliModule } from './cli.module';

const USAGE = `Usage:
  npm run cli -- tenant:create --name "Acme" --email owner@acme.test --password '<at least 10 chars>'
    Creates a tenant, its owner user, and prints a live and a test API key (shown once).
${ANALYTICS_REBUILD_USAGE}`;

/** Operator commands: `npm run cli -- <command> [options]` (or `node dist/src/cli/cli.js …` in the image). */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'analytics:rebuild') {
    const options = rebuildOptions(rest);
    if (typeof options === 'string') {
      process.stderr.write(`${options}\n${USAGE}\n`);
      return 2;
    }
    const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
    try {
      await rebuildAnalytics(app, options, (line) => process.stdout.write(`${line}\n`));
      return 0;
    } finally {
      await app.close();
    }
  }
  if (command !== 'tenant:create') {
    process.stderr.write(`${USAGE}\n`);
    return command ? 2 : 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
  });
  if (!values.name || !values.email || !values.password || values.password.length < 10) {
    process.stderr.write(`tenant:create needs --name, --email and --password (10+ characters)\n${USAGE}\n`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const result = await app.get(TenantsService).createWithKeys(RequestContext.anonymous('cli'), {
      name: values.name,
      email: values.email,
      password: values.password,
    });
    process.stdout.write(
      [
        `tenant   ${result.tenant.id}  ${result.tenant.name}`,
        `owner    ${result.owner.id}  ${result.owner.email}`,
        `live key ${result.liveKey}`,
        `test key ${result.testKey}`,
        'The keys are shown once; store them now.',
      ].join('\n') + '\n',
    );
    return 0;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
