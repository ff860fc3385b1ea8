import { Module } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ConfigModule } from '../../config/config.module';
import { TracingModule } from '../tracing/tracing.module';
import { requestLoggerOptions } from './request-logger-options';

/**
 * Optional provider (from a global module) of the stream log lines are written to; unset =
 * stdout. Tests capture the logs through it.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * JSON logs through pino (settings and redaction: request-logger-options.ts).
 * TracingModule rides along: both processes log through here, and it flushes their spans on shutdown.
 */
@Module({
  imports: [
    TracingModule,
    LoggerModule.forRootAsync({
      imports: [ConfigModule],
      inject: [APP_CONFIG, { token: LOG_DESTINATION, optional: true }],
      useFactory: (config: AppConfig, destination?: DestinationStream): Params => {
        const options = requestLoggerOptions(config);
        return { pinoHttp: destination ? [options, destination] : options };
      },
    }),
  ],
})
export class LoggingModule {}
