/**
 * Every TypeORM entity, for the data source and the migrations check. A module registers its own
 * entities here and nowhere else; other modules still reach them only through that module's service.
 */
export const ENTITIES: Function[] = [];
