import '../../src/platform/tracing/register'; // first, as in src/main.ts: tracing patches pg, ioredis and http as they load
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';
import { Auth, Public } from '../../src/platform/auth/auth.decorator';
import { HealthService } from '../../src/platform/health/health.service';
import { exitGracefullyOnSignals, sleep } from '../../src/shutdown';

/**
 * One trivial route served twice: without a credential, and behind the API-key policy. The pair
 * measures what authentication and rate limiting cost on their own (issue 16, "API key vs public").
 */
@Controller('bench')
class BenchRoutesController {
  @Public()
  @Get('public')
  open() {
    return { ok: true };
  }

  @Auth('users', 'read', { selfService: true })
  @Get('private')
  guarded() {
    return { ok: true };
  }
}

@Module({ controllers: [BenchRoutesController] })
class BenchRoutesModule {}

/** The API process of the benchmark: src/main.ts's startApi (no in-process worker) plus the two bench routes. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp({ extraModules: [BenchRoutesModule] });
  await app.listen({ port: config.PORT, host: config.HOST });
  exitGracefullyOnSignals(async () => {
    app.get(HealthService).startDraining();
    await sleep(config.SHUTDOWN_DRAIN_DELAY_MS);
    await app.close();
  }, config.SHUTDOWN_TIMEOUT_MS);
}

main().catch((err) => {
  process.stderr.write(`bench API failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
