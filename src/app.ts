import etag from '@fastify/etag';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { LivelineError } from './domain/errors.ts';
import { changeRoutes } from './http/api/changes.ts';
import { pageRoutes } from './http/api/pages.ts';
import { postRoutes } from './http/api/posts.ts';
import { authHooks } from './http/auth.ts';
import type { HttpDeps } from './http/deps.ts';
import { healthRoutes } from './http/ops/health.ts';
import { openApiRoutes } from './http/ops/openapi.ts';
import { sendProblem } from './http/problem.ts';
import { validatorCompiler } from './http/validation.ts';
import type { ServiceDeps } from './services/deps.ts';

/** The largest request body Liveline reads. */
export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the whole HTTP application around its dependencies. It never listens: main.ts
 * does, and tests inject requests.
 */
export async function buildApp(
  services: ServiceDeps,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('actor', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      new LivelineError('ROUTE_NOT_FOUND', `Nothing at ${request.method} ${request.url}.`),
      request,
      reply,
    ),
  );

  await app.register(etag);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Liveline API',
        version: '1',
        description:
          'Live pages, posts and their change log. Reads are public; writes need a bearer token. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  const deps: HttpDeps = { services, auth: authHooks(services) };
  for (const routes of [healthRoutes, openApiRoutes, pageRoutes, postRoutes, changeRoutes]) {
    await app.register(routes, deps);
  }
  await app.ready();
  return app;
}
