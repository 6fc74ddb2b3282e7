import type { FastifyInstance } from 'fastify';

/**
 * Which methods an address takes, so a wrong method is a 405 with `Allow` rather than a 404.
 * Routes are noted as they are registered (call before registering any); an address is
 * matched against each route's path with its parameters as single segments.
 */
export function trackRouteMethods(app: FastifyInstance): (url: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? [...route.method] : [route.method];
    // Fastify answers HEAD wherever it answers GET, unless the route opts out.
    if (methods.includes('GET') && route.exposeHeadRoute !== false) methods.push('HEAD');
    routes.push({ pattern: toPattern(route.url ?? route.path), methods });
  });
  return (url) => {
    const path = url.split('?')[0] ?? '';
    const allowed = new Set<string>();
    for (const route of routes) {
      if (route.pattern.test(path)) route.methods.forEach((m) => allowed.add(m));
    }
    return [...allowed].sort();
  };
}

function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '.*'
        : segment
            .split(/(:[A-Za-z0-9_]+)/)
            .map((part) =>
              part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
            )
            .join(''),
    )
    .join('/');
  // ignoreTrailingSlash: "/api/pages/" is "/api/pages".
  return new RegExp(`^${source}/?$`);
}
