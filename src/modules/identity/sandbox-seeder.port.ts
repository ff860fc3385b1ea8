import type { RequestContext } from '../../platform/context/request-context';

/**
 * Identity's port for filling a new tenant's sandbox (test mode) with sample data after sign-up.
 * Identity cannot import the modules that own the data (they import identity), so SandboxModule
 * binds it; identity looks it up through PortBindings. `ctx` is the new tenant's test-mode context.
 */
export interface SandboxSeeder {
  seedSandbox(ctx: RequestContext): Promise<void>;
}

export const SANDBOX_SEEDER = Symbol('SANDBOX_SEEDER');
