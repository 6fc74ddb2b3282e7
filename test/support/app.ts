import { SCRAPER_TOKEN } from './metrics.ts';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.ts';
import type { ChangeBus } from '../../src/bus/bus.ts';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import { serviceDeps, type ServiceDeps } from '../../src/services/deps.ts';
import { createToken } from '../../src/services/tokens.ts';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import type { Store } from '../../src/store/store.ts';
import { TestClock } from './clock.ts';
import type { OEmbedLookup } from '../../src/embeds/oembed.ts';

export interface TestApp {
  app: FastifyInstance;
  services: ServiceDeps;
  /** The one clock of the services and the store: `clock.set(iso)` stops time there. */
  clock: TestClock;
  /** The origin of the app's PUBLIC_URL: what a browser on the desk sends as Origin. */
  origin: string;
  tokens: { admin: string; editor: string; contributor: string; otherContributor: string };
  /** Sends a request as the named user (or anonymously) and parses a JSON answer. */
  call(
    as: keyof TestApp['tokens'] | null,
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse & { json<T = Record<string, unknown>>(): T }>;
  close(): Promise<void>;
}

/** The whole app on an in-memory SQLite database (or the given store), with a user of each role. */
export async function startTestApp(
  store?: Store,
  options: AppOptions = {},
  parts: { bus?: ChangeBus; oembed?: OEmbedLookup } = {},
): Promise<TestApp> {
  const clock = new TestClock();
  const services = serviceDeps({
    store: store ?? (await connectSqlite(':memory:')),
    // Another bus (Redis) makes several test apps instances of one newsroom.
    bus: parts.bus ?? new MemoryBus(),
    now: clock.now,
    ...(parts.oembed && { oembed: parts.oembed }),
  });
  // Tests write far faster than people; a test of the limits passes its own.
  const app = await buildApp(services, {
    metricsToken: SCRAPER_TOKEN,
    ...options,
    rateLimits: { authFailuresPerMinute: 10_000, writesPerMinute: 10_000, ...options.rateLimits },
    signInLimits: { perAccount: 9, perAddress: 10_000, ...options.signInLimits },
    push: { subscribesPerMinute: 10_000, ...options.push },
  });
  const tokens = {
    admin: (await createToken(services, 'Ada Admin', 'admin')).token,
    editor: (await createToken(services, 'Rich Preston', 'editor')).token,
    contributor: (await createToken(services, 'Frank Gardner', 'contributor')).token,
    otherContributor: (await createToken(services, 'James Landale', 'contributor')).token,
  };
  return {
    app,
    services,
    clock,
    origin: new URL(options.publicUrl ?? 'http://localhost:3000').origin,
    tokens,
    call: (as, method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { ...(as && { authorization: `Bearer ${tokens[as]}` }), ...headers },
        ...(body !== undefined && { payload: body as InjectOptions['payload'] }),
      }),
    async close() {
      await app.close();
      await services.store.close();
    },
  };
}
