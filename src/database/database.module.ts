import { Global, Logger, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';
import { describeCurrentRole, RUNTIME_ROLE } from './row-level-security';
import { installTenantScope } from './tenant-scope';
import { TransactionService } from './transaction.service';

const RUNTIME_ROLE_CHECK = Symbol('RUNTIME_ROLE_CHECK');

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), retryAttempts: 3, retryDelay: 500 }),
      // Every query runner carries the row-level-security scope of its ctx (tenant-scope.ts).
      dataSourceFactory: async (options?: DataSourceOptions) => installTenantScope(new DataSource(options!)).initialize(),
    }),
  ],
  providers: [
    TransactionService,
    // Boot refuses, in production, a connection that row-level security would not bind.
    { provide: RUNTIME_ROLE_CHECK, inject: [getDataSourceToken(), APP_CONFIG], useFactory: checkRuntimeRole },
  ],
  exports: [TransactionService],
})
export class DatabaseModule {}

async function checkRuntimeRole(dataSource: DataSource, config: AppConfig): Promise<true> {
  const role = await describeCurrentRole(dataSource);
  if (!role.superuser && !role.bypassRls && role.ownedTables === 0) return true;
  const why = role.superuser || role.bypassRls ? 'bypasses' : 'owns tables and so can switch off';
  const message = `DATABASE_URL connects as "${role.role}", which ${why} row-level security; connect as ${RUNTIME_ROLE} and run migrations with MIGRATION_DATABASE_URL`;
  if (config.NODE_ENV === 'production') throw new Error(message);
  new Logger('Database').warn(message);
  return true;
}
