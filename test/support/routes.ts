import type { FastifyInstance } from 'fastify';

/** The app's routes from Fastify's own tree (printRoutes), as path -> sorted methods. */
export function registeredRoutes(app: FastifyInstance): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ├└─]*?)(\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const parent = parents[depth - 1] ?? '';
    const segment = match[2] ?? '';
    const path = parent === '/' ? `/${segment}` : `${parent}${segment}`;
    parents[depth] = path;
    routes.set(path, (match[3] ?? '').split(', ').sort());
  }
  return routes;
}
