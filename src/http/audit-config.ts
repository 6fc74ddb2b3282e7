/**
 * Routes name the audited action they perform (`config: { audit: 'post.remove' }`); the
 * audit log reads it from the route. Declared here until the audit log's own declaration
 * lands: when both exist, keep that one and delete this file.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: string;
  }
}

export {};
