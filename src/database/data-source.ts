import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { migrationDataSourceOptions } from './data-source-options';

/** The data source the TypeORM CLI uses (`npm run migration:*`): the owner's, since migrations change the schema. */
export default new DataSource(migrationDataSourceOptions(loadConfig()));
