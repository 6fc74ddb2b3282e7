import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NewPersonBody, PersonEditBody } from '../../domain/people-schemas.ts';
import {
  invitePerson,
  issueResetLink,
  linkUrl,
  listPeople,
  listUsers,
  presentUser,
  updatePerson,
} from '../../services/people.ts';
import { actorOf } from '../auth.ts';
import { PostId } from '../schemas/common.ts';
import type { DeskDeps } from './deps.ts';

const UserParams = Type.Object({ id: PostId }, { additionalProperties: false });

/** The newsroom's people: admins invite, change and disable; everyone picks bylines. */
export const userRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (
  app,
  { services, auth, publicUrl },
) => {
  app.get(
    '/desk/api/users',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { users: (await listUsers(services, actorOf(request))).map(presentUser) };
    },
  );

  app.post(
    '/desk/api/users',
    {
      onRequest: auth.requireUser,
      config: { audit: 'user.invite' },
      schema: { tags: ['desk'], hide: true, body: NewPersonBody },
    },
    async (request, reply) => {
      const { user, link } = await invitePerson(services, actorOf(request), request.body);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ user: presentUser(user), link: linkUrl(publicUrl, link.token) });
    },
  );

  app.patch(
    '/desk/api/users/:id',
    {
      onRequest: auth.requireUser,
      config: { audit: 'user.edit' },
      schema: { tags: ['desk'], hide: true, params: UserParams, body: PersonEditBody },
    },
    async (request) => {
      const user = await updatePerson(services, actorOf(request), request.params.id, request.body);
      return { user: presentUser(user) };
    },
  );

  app.post(
    '/desk/api/users/:id/reset-link',
    {
      onRequest: auth.requireUser,
      config: { audit: 'password.reset_link' },
      schema: { tags: ['desk'], hide: true, params: UserParams },
    },
    async (request, reply) => {
      const link = await issueResetLink(services, actorOf(request), request.params.id);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ link: linkUrl(publicUrl, link.token) });
    },
  );

  app.get(
    '/desk/api/people',
    { onRequest: auth.requireUser, schema: { tags: ['desk'], hide: true } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      const people = await listPeople(services);
      return { people: people.map((p) => ({ id: p.id, name: p.name, bylineRole: p.bylineRole })) };
    },
  );
};
