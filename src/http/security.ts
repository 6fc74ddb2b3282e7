import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { playerOrigins } from '../embeds/providers.ts';

/**
 * Security headers on every response: a Content-Security-Policy that allows no inline script
 * or style (the reader's script and stylesheet are files of our own), nosniff, a referrer
 * policy. Images and media may come from any https origin, as newsrooms host them on CDNs;
 * frames only from the embed providers' players (ADR 0021).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        mediaSrc: ["'self'", 'https:'],
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
