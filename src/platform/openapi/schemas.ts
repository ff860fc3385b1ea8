import type { components } from '../../generated/openapi';

/** The request and response shapes of openapi.yaml, as generated; DTOs implement them, mappers return them. */
export type Schemas = components['schemas'];
