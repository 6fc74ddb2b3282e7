import type { ServiceDeps } from '../services/deps.ts';
import type { authHooks } from './auth.ts';

/** What every group of routes is given. */
export interface HttpDeps {
  services: ServiceDeps;
  auth: ReturnType<typeof authHooks>;
}
