import type { ServiceDeps } from '../services/deps.ts';
import type { authHooks } from './auth.ts';
import type { RenderCache } from './reader/render-cache.ts';

/** What every group of routes is given. */
export interface HttpDeps {
  services: ServiceDeps;
  auth: ReturnType<typeof authHooks>;
  /** Public responses kept until their live page changes. */
  cache: RenderCache;
}
