import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Socket } from 'node:net';
import { LivelineError } from '../../domain/errors.ts';
import type { LivePage } from '../../domain/page.ts';
import type { User } from '../../domain/user.ts';
import type { FaultLog } from '../../log.ts';
import {
  joinPage,
  newConnectionId,
  presentOthers,
  reportActivity,
} from '../../presence/activity.ts';
import { ACTIVITIES, type PresenceBoard } from '../../presence/presence.ts';
import { frame } from '../../realtime/sse-frame.ts';
import { actorOf } from '../auth.ts';
import { PostId, SlugParams } from '../schemas/common.ts';
import type { DeskDeps } from './deps.ts';

const ActivityBody = Type.Object(
  {
    connection: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }),
    activity: Type.Union(ACTIVITIES.map((a) => Type.Literal(a))),
    postId: Type.Optional(PostId),
  },
  { additionalProperties: false },
);

/**
 * PUT /desk/api/pages/{slug}/presence: what this desk tab is doing now (viewing, writing a
 * new post, editing post X), and its heartbeat. Cookie-signed, so CSRF-checked by the auth
 * hooks like every desk write. Answers 204; nothing is stored in the database.
 */
export const presenceRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth, presence },
) => {
  app.put(
    '/desk/api/pages/:slug/presence',
    {
      onRequest: auth.requireUser,
      // Says what a desk tab is doing, on the presence board: nothing is stored in the database.
      config: { audit: false },
      schema: { tags: ['desk'], hide: true, params: SlugParams, body: ActivityBody },
    },
    async (request, reply) => {
      const user = actorOf(request);
      try {
        await reportActivity(services, presence, user, request.params.slug, request.body);
      } catch (error) {
        if (error instanceof LivelineError && error.code === 'PRESENCE_UNAVAILABLE')
          reply.header('retry-after', '5');
        throw error;
      }
      return reply.code(204).header('cache-control', 'no-store').send();
    },
  );
};

/**
 * Presence on one desk event stream: a tab of a signed-in person (a session, not a program's
 * token) joins the page as `viewing`, is asked for a heartbeat (`ping`) three times per ttl,
 * and leaves the moment its stream closes. Every stream hears `presence` (everyone else on
 * the page) whenever that list changes. Presence is best-effort: a board that fails is
 * logged and the stream goes on without it.
 */
export function streamPresence(
  board: PresenceBoard,
  page: LivePage,
  user: User,
  person: boolean,
  socket: Socket,
  log: FaultLog,
): { connection: string | null; leave(): void } {
  const connection = person ? newConnectionId() : null;
  const send = (event: string, data: unknown) => {
    if (!socket.destroyed) socket.write(frame({ event, data: JSON.stringify(data) }));
  };
  const failed = (err: unknown) => log.warn({ err, pageId: page.id }, 'presence failed');
  let last = '[]';
  const unwatch = board.watch(page.id, (entries) => {
    const others = presentOthers(entries, connection);
    const json = JSON.stringify(others);
    if (json === last) return;
    last = json;
    send('presence', { others });
  });
  // Someone already here is told by the join's change; a program's stream reads once.
  if (connection) joinPage(board, page, user, connection).catch(failed);
  else
    board.list(page.id).then((entries) => {
      const others = presentOthers(entries, null);
      if (others.length > 0 && last === '[]') {
        last = JSON.stringify(others);
        send('presence', { others });
      }
    }, failed);
  const ping = connection
    ? setInterval(() => send('ping', {}), Math.max(10, Math.floor(board.ttlMs / 3)))
    : null;
  return {
    connection,
    leave() {
      if (ping) clearInterval(ping);
      unwatch();
      if (connection) board.remove(page.id, connection).catch(failed);
    },
  };
}
