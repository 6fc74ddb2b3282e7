import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Socket } from 'node:net';
import { LivelineError } from '../../domain/errors.ts';
import { frame, HEARTBEAT, retryFrame, STREAM_HEAD } from '../../realtime/sse-frame.ts';
import { findPage } from '../../services/pages.ts';
import { resumeSession } from '../../services/sessions.ts';
import { authenticate } from '../../services/tokens.ts';
import { actorOf } from '../auth.ts';
import { answerable } from '../pipelined.ts';
import { SlugParams } from '../schemas/common.ts';
import type { DeskDeps } from './deps.ts';
import { streamPresence } from './presence.ts';
import { addressKey } from '../../net/ip-address.ts';

/**
 * /desk/api/pages/{slug}/events: "the page changed" for signed-in people, on EVERY commit on
 * the page (drafts too: the commit path announces each one on the bus, so other instances'
 * writes arrive as well). The event carries only the page's sequence number; the desk
 * refetches its posts. Nothing of a draft ever goes to the public stream. Each heartbeat
 * re-checks the session or token, so a revoked session or a disabled user is cut off.
 * It also carries presence: who else is on the page's desk (src/http/desk/presence.ts).
 */
export const deskEventRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth, limits, heartbeatMs, presence },
) => {
  const open = new Set<Socket>();
  app.addHook('preClose', async () => {
    for (const socket of open) socket.end();
  });

  app.get(
    '/desk/api/pages/:slug/events',
    {
      onRequest: auth.requireUser,
      exposeHeadRoute: false,
      schema: { tags: ['desk'], hide: true, params: SlugParams },
    },
    async (request, reply) => {
      const user = actorOf(request);
      const page = await findPage(services.store, request.params.slug);
      const slot = limits.acquire(addressKey(request.ip));
      if ('refused' in slot) {
        reply.header('retry-after', '5');
        throw new LivelineError(slot.refused === 'address' ? 'TOO_MANY_STREAMS' : 'STREAMS_FULL');
      }
      const secret = request.session ? request.cookies[auth.cookie.name] : undefined;
      const bearer = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
      const stillSignedIn = async () =>
        secret
          ? // A desk left open is not a person using it: the idle expiry still applies.
            (await resumeSession(services, secret, { touch: false })) !== null
          : bearer
            ? (await authenticate(services, bearer)) !== null
            : false;

      reply.hijack();
      const socket = request.raw.socket;
      // Pipelined behind another request, the stream waits for that one's answer.
      if (!(await answerable(reply.raw, socket))) return slot.release();
      reply.raw.detachSocket(socket);
      socket.setNoDelay(true);
      open.add(socket);
      socket.write(STREAM_HEAD);
      socket.write(retryFrame(2_000));
      const here = streamPresence(presence, page, user, !!request.session, socket, request.log);
      // The desk fetches on (re)connect: this first event says where the page is now, and
      // gives a signed-in tab its presence connection id.
      socket.write(
        frame({
          event: 'changed',
          data: JSON.stringify({
            seq: page.lastSeq,
            ...(here.connection && { connection: here.connection }),
          }),
        }),
      );
      const unsubscribe = services.bus.subscribe((notice) => {
        if (notice.pageId !== page.id || socket.destroyed) return;
        socket.write(frame({ event: 'changed', data: JSON.stringify({ seq: notice.seq }) }));
      });
      const beat = setInterval(() => {
        stillSignedIn().then(
          (ok) => (ok ? socket.write(HEARTBEAT) : socket.end()),
          () => socket.write(HEARTBEAT),
        );
      }, heartbeatMs);
      const done = () => {
        clearInterval(beat);
        unsubscribe();
        here.leave();
        open.delete(socket);
        slot.release();
      };
      socket.once('close', done);
      if (socket.destroyed) done();
    },
  );
};
