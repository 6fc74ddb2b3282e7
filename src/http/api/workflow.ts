import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import { PostMoveBody, PostReturnBody, PostScheduleBody } from '../../domain/schemas.ts';
import { presentPost } from '../../services/present.ts';
import { movePost, type WorkflowAction } from '../../services/review.ts';
import { actorOf } from '../auth.ts';
import type { HttpDeps } from '../deps.ts';
import { BearerAuth, PostParams } from '../schemas/common.ts';

/** Each explicit move of the editorial workflow: its body, what it does, its audit name. */
const MOVES: Record<WorkflowAction, { body: TSchema; summary: string }> = {
  submit: { body: PostMoveBody, summary: 'Submit a draft for review by an editor' },
  approve: { body: PostMoveBody, summary: 'Approve a submission: it publishes at once' },
  return: { body: PostReturnBody, summary: 'Return a submission to its author with a note' },
  schedule: { body: PostScheduleBody, summary: 'Schedule a post to publish itself at a time' },
  unschedule: { body: PostMoveBody, summary: 'Take a scheduled post back to draft' },
};

/**
 * /api/pages/{slug}/posts/{id}/{submit,approve,return,schedule,unschedule}: the review and
 * scheduling workflow (docs/workflow.md). Each is one use case, movePost.
 */
export const workflowRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (
  app,
  { services, auth },
) => {
  for (const [what, move] of Object.entries(MOVES) as [
    WorkflowAction,
    (typeof MOVES)[WorkflowAction],
  ][]) {
    app.post(
      `/api/pages/:slug/posts/:id/${what}`,
      {
        onRequest: auth.requireUser,
        // The audit log (recorded by the commit path) names the action from the route's config.
        config: { audit: `post.${what}` },
        schema: {
          tags: ['posts'],
          summary: move.summary,
          security: BearerAuth,
          params: PostParams,
          body: move.body,
        },
      },
      async (request) => {
        const { slug, id } = request.params;
        const body = request.body as { revision: number; note?: string; at?: string };
        return presentPost(await movePost(services, actorOf(request), slug, id, what, body));
      },
    );
  }
};
