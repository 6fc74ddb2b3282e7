/**
 * Storage of push alerts (0009-push, ADR 0023), kept apart from the live pages' Store: none of
 * it is in the change log or the audit log, and readers' subscriptions are anonymous.
 */

/** A reader's browser subscription on one live page (keys base64url, as browsers give them). */
export interface PushSubscriptionRecord {
  id: string;
  pageId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  /** Alerts in a row the push service refused as this subscription's fault (0010-push-strikes). */
  strikes: number;
}

/** The site's VAPID key pair, base64url (the public key is an uncompressed P-256 point). */
export interface VapidKeyPair {
  publicKey: string;
  privateKey: string;
}

/** What `subscribe` did: stored anew, refreshed the keys of one it had, or refused by the cap. */
export type SubscribeOutcome = 'created' | 'updated' | 'too-many-pages';

export interface PushStore {
  /**
   * Stores the subscription for its page, or refreshes the keys (and clears the strikes) of the
   * same (page, endpoint); refuses a new one when the endpoint already follows
   * `maxPagesPerEndpoint` pages.
   */
  subscribe(
    subscription: Omit<PushSubscriptionRecord, 'id' | 'strikes'>,
    maxPagesPerEndpoint: number,
  ): Promise<SubscribeOutcome>;
  /** Removes the endpoint's subscription on the page; false when it had none. */
  unsubscribe(pageId: string, endpoint: string): Promise<boolean>;
  /** The page's subscriptions in id order after `afterId`, at most `limit`: the sender pages through. */
  subscriptionsOf(
    pageId: string,
    afterId: string | null,
    limit: number,
  ): Promise<PushSubscriptionRecord[]>;
  /** Removes one subscription the push service said is gone (404/410). */
  removeSubscription(id: string): Promise<void>;
  /**
   * Counts one more alert the push service refused as the subscription's fault; at `limit` in
   * a row the subscription is removed. True when this strike removed it.
   */
  strike(id: string, limit: number): Promise<boolean>;
  /** An alert went through: the subscription's strikes start again from none. */
  clearStrikes(id: string): Promise<void>;
  /** The stored VAPID keys, or null before any were generated. */
  vapidKeys(): Promise<VapidKeyPair | null>;
  /** Stores `keys` unless a pair is stored already; returns the pair that is stored. */
  keepVapidKeys(keys: VapidKeyPair): Promise<VapidKeyPair>;
}
