import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { playerOrigins } from '../embeds/providers.ts';

/** Where pictures may come from (ADR 0020). */
export interface MediaSources {
  /**
   * The origin uploaded pictures are served from when it is not our own; null while every
   * instance serves them at /media/ (from disk or the bucket: ADR 0020).
   */
  mediaOrigin: string | null;
  /**
   * Origins of remote pictures and videos in posts (MEDIA_REMOTE_ORIGINS); the default,
   * `https:`, keeps pictures that newsrooms link from their CDNs.
   */
  remoteOrigins: readonly string[];
}

export const DEFAULT_MEDIA_SOURCES: MediaSources = { mediaOrigin: null, remoteOrigins: ['https:'] };

/** The headers @fastify/helmet adds to a response with `options`, by their names' own case. */
async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify();
  try {
    await probe.register(helmet, options);
    probe.get('/', async () => '');
    probe.get('/bare', { helmet: false }, async () => '');
    const withHelmet = await probe.inject({ method: 'GET', url: '/' });
    const bare = await probe.inject({ method: 'GET', url: '/bare' });
    // Node's OutgoingMessage keeps the names as they were set (light-my-request's types omit it).
    const sent = withHelmet.raw.res as typeof withHelmet.raw.res & {
      getRawHeaderNames(): string[];
    };
    const headers: Record<string, string> = {};
    for (const name of sent.getRawHeaderNames()) {
      if (name.toLowerCase() in bare.headers) continue;
      headers[name] = String(sent.getHeader(name));
    }
    return headers;
  } finally {
    await probe.close();
  }
}

/**
 * Security headers on every response: a Content-Security-Policy that allows no inline script
 * or style (the reader's script and stylesheet are files of our own), nosniff, a referrer
 * policy. Images and media come from here (or the media origin in use) and the remote
 * origins configured (ADR 0020); frames only from the embed providers' players (ADR 0021).
 *
 * They are the same on every response, so they are worked out once, by @fastify/helmet
 * itself, and set by one hook: registered per request, helmet built its middleware and
 * parsed the policy again for each response (issue 13; docs/PERFORMANCE.md, "Reads").
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  sources: MediaSources = DEFAULT_MEDIA_SOURCES,
): Promise<void> {
  const media = [
    "'self'",
    ...(sources.mediaOrigin ? [sources.mediaOrigin] : []),
    ...sources.remoteOrigins,
  ];
  const headers = await helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: [...media, 'data:'],
        mediaSrc: media,
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        // Embeds: exactly the players of the provider registry, loaded on a reader's click.
        frameSrc: playerOrigins(),
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  const pairs = Object.entries(headers);
  // On the raw response, as helmet set them: a route may still change or remove one (the
  // embed view's frame-ancestors and X-Frame-Options, reader/widget.ts).
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of pairs) reply.raw.setHeader(name, value);
    done();
  });
}
