import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  NewWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookKind,
} from '../../domain/webhook.ts';
import type { Codec } from './codec.ts';
import type { Database, WebhookDeliveriesTable, WebhookEndpointsTable } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The SQL of webhook endpoints and their deliveries (0008-webhooks). */

function toEndpoint(codec: Codec, row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    secret: row.secret,
    pages: row.pages === null ? null : (codec.readJson(row.pages) as string[]),
    kinds: row.kinds === null ? null : (codec.readJson(row.kinds) as WebhookKind[]),
    description: row.description,
    createdAt: codec.readTime(row.created_at),
    createdBy: row.created_by,
    failingSince: row.failing_since === null ? null : codec.readTime(row.failing_since),
  };
}

function toDelivery(codec: Codec, row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    jobId: row.job_id,
    eventId: row.event_id,
    eventType: row.event_type,
    attempt: Number(row.attempt),
    at: codec.readTime(row.at),
    outcome: row.outcome as WebhookDelivery['outcome'],
    statusCode: row.status_code === null ? null : Number(row.status_code),
    responseBody: row.response_body,
    error: row.error,
    durationMs: Number(row.duration_ms),
  };
}

export async function listWebhooks(db: Db, codec: Codec): Promise<WebhookEndpoint[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => toEndpoint(codec, row));
}

export async function getWebhook(
  db: Db,
  codec: Codec,
  id: string,
): Promise<WebhookEndpoint | null> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toEndpoint(codec, row) : null;
}

export async function insertWebhook(
  db: Db,
  codec: Codec,
  at: string,
  endpoint: NewWebhookEndpoint,
): Promise<WebhookEndpoint> {
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: endpoint.id,
      url: endpoint.url,
      secret: endpoint.secret,
      pages: endpoint.pages === null ? null : codec.writeJson(endpoint.pages),
      kinds: endpoint.kinds === null ? null : codec.writeJson(endpoint.kinds),
      description: endpoint.description,
      created_at: at,
      created_by: endpoint.createdBy,
      failing_since: null,
    })
    .execute();
  return { ...endpoint, createdAt: at, failingSince: null };
}

export async function deleteWebhook(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Marks the endpoint failing since `since`, or healthy again with null. */
export async function setWebhookFailing(db: Db, id: string, since: string | null): Promise<void> {
  let update = db
    .updateTable('webhook_endpoints')
    .set({ failing_since: since })
    .where('id', '=', id);
  // A failing endpoint keeps the time it started failing.
  if (since !== null) update = update.where('failing_since', 'is', null);
  await update.execute();
}

export async function insertDelivery(db: Db, delivery: WebhookDelivery): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      id: delivery.id,
      endpoint_id: delivery.endpointId,
      job_id: delivery.jobId,
      event_id: delivery.eventId,
      event_type: delivery.eventType,
      attempt: delivery.attempt,
      at: delivery.at,
      outcome: delivery.outcome,
      status_code: delivery.statusCode,
      response_body: delivery.responseBody,
      error: delivery.error,
      duration_ms: delivery.durationMs,
    })
    .execute();
}

/** Blanks what receivers answered to these jobs' deliveries: an answer may quote its event. */
export async function blankDeliveryAnswers(db: Db, jobIds: readonly string[]): Promise<void> {
  // In slices: SQLite bounds the values one statement takes.
  for (let i = 0; i < jobIds.length; i += 500) {
    await db
      .updateTable('webhook_deliveries')
      .set({ response_body: '' })
      .where('job_id', 'in', jobIds.slice(i, i + 500))
      .execute();
  }
}

/** The endpoint's deliveries, newest first, at most `limit`. */
export async function listDeliveries(
  db: Db,
  codec: Codec,
  endpointId: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => toDelivery(codec, row));
}

export async function getDelivery(
  db: Db,
  codec: Codec,
  id: string,
): Promise<WebhookDelivery | null> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toDelivery(codec, row) : null;
}
