import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auditRoutes } from './audit.ts';
import type { DeskDeps } from './deps.ts';
import { deskEmbedRoutes } from './embeds.ts';
import { deskEventRoutes } from './events.ts';
import { deskHistoryRoutes } from './history.ts';
import { deskPageRoutes } from './pages.ts';
import { presenceRoutes } from './presence.ts';
import { previewRoutes } from './preview.ts';
import { sessionRoutes } from './sessions.ts';
import { signInRoutes } from './sign-in.ts';
import { userRoutes } from './users.ts';

/**
 * /desk/api: the JSON routes of the newsroom desk. They are the desk app's own contract
 * (docs/architecture.md, "People and sessions"), hidden from the public OpenAPI document.
 */
export const deskRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  for (const routes of [
    signInRoutes,
    sessionRoutes,
    userRoutes,
    deskPageRoutes,
    deskEventRoutes,
    previewRoutes,
    presenceRoutes,
    auditRoutes,
    deskHistoryRoutes,
    // Embeds (ADR 0021)
    deskEmbedRoutes,
  ]) {
    await app.register(routes, deps);
  }
};
