import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
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

/**
 * Security headers on every response: a Content-Security-Policy that allows no inline script
 * or style (the reader's script and stylesheet are files of our own), nosniff, a referrer
 * policy. Images and media come from here (or the media origin in use) and the remote
 * origins configured (ADR 0020); frames only from the embed providers' players (ADR 0021).
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
  await app.register(helmet, {
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
}
