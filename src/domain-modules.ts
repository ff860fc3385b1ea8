import { EventsModule } from './modules/events/events.module';
import { IdentityModule } from './modules/identity/identity.module';

/** The domain modules, shared by the API (controllers mounted) and the worker (job handlers only). */
export const DOMAIN_MODULES: any[] = [IdentityModule, EventsModule];
