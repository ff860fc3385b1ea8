import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { shutdownTracing } from './tracing';

/** Exports the spans still buffered when the process shuts down (a batch would otherwise be lost). */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await shutdownTracing().catch(() => undefined);
  }
}

@Module({ providers: [TracingShutdown] })
export class TracingModule {}
