import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../domain/ids.ts';
import type {
  PushStore,
  PushSubscriptionRecord,
  SubscribeOutcome,
  VapidKeyPair,
} from '../push-store.ts';
import type { Database } from './schema.ts';

/** The one row of push_keys. */
const VAPID_ROW = 'vapid';

/** Push alerts' tables (0009-push) over Kysely, for both databases. */
export class SqlPushStore implements PushStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
  ) {}

  subscribe(
    subscription: Omit<PushSubscriptionRecord, 'id' | 'strikes'>,
    maxPagesPerEndpoint: number,
  ): Promise<SubscribeOutcome> {
    const { pageId, endpoint, p256dh, auth } = subscription;
    return this.db.transaction().execute(async (tx) => {
      const existing = await tx
        .updateTable('push_subscriptions')
        .set({ p256dh, auth, strikes: 0 })
        .where('page_id', '=', pageId)
        .where('endpoint', '=', endpoint)
        .executeTakeFirst();
      if (Number(existing.numUpdatedRows) > 0) return 'updated';
      // Bounded by the cap itself: at most maxPagesPerEndpoint rows are read off the index.
      const held = await tx
        .selectFrom('push_subscriptions')
        .select('id')
        .where('endpoint', '=', endpoint)
        .limit(maxPagesPerEndpoint)
        .execute();
      if (held.length >= maxPagesPerEndpoint) return 'too-many-pages';
      await tx
        .insertInto('push_subscriptions')
        .values({
          id: newId(),
          page_id: pageId,
          endpoint,
          p256dh,
          auth,
          created_at: this.now().toISOString(),
        })
        .onConflict((c) =>
          c.columns(['page_id', 'endpoint']).doUpdateSet({ p256dh, auth, strikes: 0 }),
        )
        .execute();
      return 'created';
    });
  }

  async unsubscribe(pageId: string, endpoint: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('push_subscriptions')
      .where('page_id', '=', pageId)
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async subscriptionsOf(
    pageId: string,
    afterId: string | null,
    limit: number,
  ): Promise<PushSubscriptionRecord[]> {
    let query = this.db
      .selectFrom('push_subscriptions')
      .select(['id', 'page_id', 'endpoint', 'p256dh', 'auth', 'strikes'])
      .where('page_id', '=', pageId);
    if (afterId !== null) query = query.where('id', '>', afterId);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      pageId: r.page_id,
      endpoint: r.endpoint,
      p256dh: r.p256dh,
      auth: r.auth,
      strikes: Number(r.strikes),
    }));
  }

  async removeSubscription(id: string): Promise<void> {
    await this.db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
  }

  async strike(id: string, limit: number): Promise<boolean> {
    // One statement each, so two instances striking the same subscription count both.
    const row = await this.db
      .updateTable('push_subscriptions')
      .set((eb) => ({ strikes: eb('strikes', '+', 1) }))
      .where('id', '=', id)
      .returning('strikes')
      .executeTakeFirst();
    if (!row || Number(row.strikes) < limit) return false;
    const removed = await this.db
      .deleteFrom('push_subscriptions')
      .where('id', '=', id)
      .where('strikes', '>=', limit)
      .executeTakeFirst();
    return Number(removed.numDeletedRows) > 0;
  }

  async clearStrikes(id: string): Promise<void> {
    await this.db
      .updateTable('push_subscriptions')
      .set({ strikes: 0 })
      .where('id', '=', id)
      .execute();
  }

  async vapidKeys(): Promise<VapidKeyPair | null> {
    const row = await this.db
      .selectFrom('push_keys')
      .select(['public_key', 'private_key'])
      .where('id', '=', VAPID_ROW)
      .executeTakeFirst();
    return row ? { publicKey: row.public_key, privateKey: row.private_key } : null;
  }

  async keepVapidKeys(keys: VapidKeyPair): Promise<VapidKeyPair> {
    // Two instances starting together: the first insert wins and both read it back.
    await this.db
      .insertInto('push_keys')
      .values({
        id: VAPID_ROW,
        public_key: keys.publicKey,
        private_key: keys.privateKey,
        created_at: this.now().toISOString(),
      })
      .onConflict((c) => c.column('id').doNothing())
      .execute();
    const stored = await this.vapidKeys();
    if (!stored) throw new Error('the VAPID keys were stored but cannot be read back');
    return stored;
  }
}

/**
 * Records that the post's alert is sent (push_alerts), in the caller's transaction: true for
 * the first caller only, so a post is alerted once however often it is edited.
 */
export async function claimPushAlert(
  db: Kysely<Database> | Transaction<Database>,
  pageId: string,
  postId: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto('push_alerts')
    .values({ page_id: pageId, post_id: postId, at })
    .onConflict((c) => c.columns(['page_id', 'post_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
