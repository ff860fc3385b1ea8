import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';

/** The data source the TypeORM CLI uses (`npm run migration:*`). */
const { DATABASE_URL, DATABASE_POOL_SIZE } = loadConfig();
// Without the request timeouts: building an index on a large table may take longer than any request may.
export default new DataSource(dataSourceOptions({ DATABASE_URL, DATABASE_POOL_SIZE }));
