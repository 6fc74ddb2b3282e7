import { randomBytes } from 'node:crypto';
import { invalid, LivelineError, type FieldProblem } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookJobPayload,
  WebhookKind,
} from '../domain/webhook.ts';
import { checkTarget, type PrivateAllowance } from '../webhooks/address-guard.ts';
import { WEBHOOK_TOPIC } from '../webhooks/jobs.ts';
import { commitOnPage, commitValue, valueOf } from './commit.ts';
import type { ServiceDeps } from './deps.ts';

/** What an admin registers (docs/webhooks.md). */
export interface NewWebhookInput {
  url: string;
  /** Given by the admin, or made here and shown once. */
  secret?: string | undefined;
  pages?: string[] | null | undefined;
  kinds?: WebhookKind[] | null | undefined;
  description?: string | undefined;
}

/** How many deliveries an endpoint's screen shows. */
export const DELIVERIES_SHOWN = 50;

/** The URL as a webhook's target: http(s), no credentials in it. */
function targetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('/url', 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid('/url', `must be an http or https URL, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '')
    throw invalid('/url', 'must not carry a user name or password; sign with the secret');
  if (url.hash !== '') throw invalid('/url', 'must not have a #fragment');
  return url;
}

/**
 * Registers an endpoint (admins only). The URL's host must resolve to public addresses only,
 * unless the configuration allows private ones (WEBHOOKS_ALLOW_PRIVATE); every page named
 * must exist. Returns the endpoint with its secret: the only time it is shown.
 */
export async function createWebhook(
  deps: ServiceDeps,
  actor: User,
  input: NewWebhookInput,
  allowance: PrivateAllowance,
): Promise<WebhookEndpoint> {
  authorize(actor, 'webhooks.manage');
  const url = targetUrl(input.url);
  const pages = input.pages ?? null;
  if (pages) {
    const problems: FieldProblem[] = [];
    for (const [i, slug] of pages.entries())
      if (!(await deps.store.getPage(slug)))
        problems.push({ field: `/pages/${i}`, reason: `no live page has the slug "${slug}"` });
    if (problems.length > 0)
      throw new LivelineError('VALIDATION_FAILED', problems.map((p) => p.reason).join('; '), {
        problems,
      });
  }
  await checkTarget(url, allowance);
  const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  return commitValue(deps, ({ tx }) =>
    tx.insertWebhook({
      id: newId(),
      url: url.href,
      secret,
      pages: pages ? [...new Set(pages)] : null,
      kinds: input.kinds ? [...new Set(input.kinds)] : null,
      description: input.description ?? '',
      createdBy: actor.id,
    }),
  );
}

export async function listWebhooks(deps: ServiceDeps, actor: User): Promise<WebhookEndpoint[]> {
  authorize(actor, 'webhooks.manage');
  return deps.store.listWebhooks();
}

async function findWebhook(deps: ServiceDeps, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.store.getWebhook(id);
  if (!endpoint)
    throw new LivelineError('WEBHOOK_NOT_FOUND', `No webhook endpoint has the id "${id}".`);
  return endpoint;
}

/** Removes an endpoint; its deliveries still waiting are dropped when their turn comes. */
export async function deleteWebhook(deps: ServiceDeps, actor: User, id: string): Promise<void> {
  authorize(actor, 'webhooks.manage');
  // Refused inside the commit, which then rolls back and leaves no audit entry.
  await commitValue(deps, async ({ tx }) => {
    if (!(await tx.deleteWebhook(id)))
      throw new LivelineError('WEBHOOK_NOT_FOUND', `No webhook endpoint has the id "${id}".`);
  });
}

/** An endpoint and its latest deliveries, newest first. */
export async function webhookDeliveries(
  deps: ServiceDeps,
  actor: User,
  id: string,
): Promise<{ endpoint: WebhookEndpoint; deliveries: WebhookDelivery[] }> {
  authorize(actor, 'webhooks.manage');
  const endpoint = await findWebhook(deps, id);
  return { endpoint, deliveries: await deps.store.listDeliveries(id, DELIVERIES_SHOWN) };
}

/**
 * Sends a delivery's event to its endpoint again, as a new outbox job (with the same event
 * id, so a receiver that already has it can tell). Returns the new job's id.
 */
export async function redeliver(
  deps: ServiceDeps,
  actor: User,
  id: string,
  deliveryId: string,
): Promise<string> {
  authorize(actor, 'webhooks.manage');
  await findWebhook(deps, id);
  const noDelivery = () =>
    new LivelineError(
      'DELIVERY_NOT_FOUND',
      `The webhook endpoint "${id}" has no delivery "${deliveryId}".`,
    );
  const delivery = await deps.store.getDelivery(deliveryId);
  const job = delivery?.endpointId === id ? await deps.store.getJob(delivery.jobId) : null;
  if (!job) throw noDelivery();
  // Under the page's lock (a slug never changes), which a legal removal holds while it scrubs
  // the page's jobs: the job is read again there, so a removal is either seen or comes after
  // the new job exists.
  const { slug } = (job.payload as WebhookJobPayload).event.page;
  const committed = await commitOnPage(deps, slug, async ({ tx }) => {
    const payload = (await tx.getJob(job.id))?.payload as WebhookJobPayload | undefined;
    if (!payload) throw noDelivery();
    if (payload.removed)
      throw new LivelineError(
        'POST_REMOVED',
        'The post this delivery carried was removed for legal reasons: it is not sent again.',
      );
    return tx.enqueueJob({ topic: WEBHOOK_TOPIC, payload });
  });
  return valueOf(committed);
}
