import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LivelineError } from '../../domain/errors.ts';
import { SetPasswordBody, SignInBody } from '../../domain/people-schemas.ts';
import { checkCredentials, inspectLink, setPasswordWithLink } from '../../services/people.ts';
import { endSession, startSession } from '../../services/sessions.ts';
import { asAction } from '../../services/audit-context.ts';
import { recordFailedSignIn } from '../../services/audit.ts';
import { actorOf, checkSameOrigin } from '../auth.ts';
import { clearSessionCookie, setSessionCookie, signedIn, type DeskDeps } from './deps.ts';
import { signInLimits } from './sign-in-limits.ts';

const LinkParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);

/** Signing in and out, who am I, and the one-time links that set a password. */
export const signInRoutes: FastifyPluginAsyncTypebox<DeskDeps> = async (app, deps) => {
  const { services, auth } = deps;
  const limits = signInLimits(app, deps.signInLimits);
  // Signing in from another site (login CSRF) is refused; a program without Origin may.
  const sameSite = async (request: Parameters<typeof auth.identify>[0]) =>
    checkSameOrigin(request, auth.origin, false);

  app.post(
    '/desk/api/sign-in',
    {
      onRequest: sameSite,
      config: { audit: 'session.sign_in' },
      schema: { tags: ['desk'], hide: true, body: SignInBody },
    },
    async (request, reply) => {
      await limits.attempt(request, reply);
      const { email, password } = request.body;
      const user = await checkCredentials(services, email, password);
      if (!user) {
        await recordFailedSignIn(services, email);
        throw new LivelineError('SIGN_IN_FAILED');
      }
      limits.succeeded(email);
      const { secret, session } = await startSession(services, user, {
        userAgent: request.headers['user-agent'],
        previousSecret: request.cookies[auth.cookie.name],
      });
      setSessionCookie(reply, deps, secret, session);
      return signedIn(user, session);
    },
  );

  app.post(
    '/desk/api/sign-out',
    {
      onRequest: auth.requireUser,
      config: { audit: 'session.sign_out' },
      schema: { tags: ['desk'], hide: true },
    },
    async (request, reply) => {
      const secret = request.cookies[auth.cookie.name];
      if (!request.session || !secret)
        throw new LivelineError('UNAUTHENTICATED', 'Only a desk session signs out.');
      await endSession(services, secret);
      clearSessionCookie(reply, deps);
      return reply.code(204).send();
    },
  );

  app.get(
    '/desk/api/me',
    { onRequest: auth.identify, schema: { tags: ['desk'], hide: true } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!request.session) throw new LivelineError('UNAUTHENTICATED', 'You are not signed in.');
      return signedIn(actorOf(request), request.session);
    },
  );

  app.get(
    '/desk/api/links/:token',
    { schema: { tags: ['desk'], hide: true, params: LinkParams } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { purpose, user } = await inspectLink(services, request.params.token);
      return { purpose, email: user.email, name: user.name };
    },
  );

  app.post(
    '/desk/api/links/:token',
    {
      onRequest: sameSite,
      config: { audit: 'password.set' },
      schema: { tags: ['desk'], hide: true, params: LinkParams, body: SetPasswordBody },
    },
    async (request, reply) => {
      const user = await setPasswordWithLink(services, request.params.token, request.body.password);
      const { secret, session } = await asAction('session.sign_in', () =>
        startSession(services, user, {
          userAgent: request.headers['user-agent'],
          previousSecret: request.cookies[auth.cookie.name],
        }),
      );
      setSessionCookie(reply, deps, secret, session);
      return signedIn(user, session);
    },
  );
};
