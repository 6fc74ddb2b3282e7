import type { Kysely, Migration } from 'kysely';

/**
 * 0010-push-strikes: how many alerts in a row a push service refused for a subscription of its
 * own fault (a 4xx that is not "gone" nor "slow down"). Three strikes remove it (ADR 0023).
 */
export const pushStrikesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('push_subscriptions')
      .addColumn('strikes', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
