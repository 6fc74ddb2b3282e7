import { isDeepStrictEqual } from 'node:util';
import { LivelineError, invalid } from '../domain/errors.ts';
import {
  DEFAULT_TEXT_FORMAT,
  DEFAULT_TIME_ZONE,
  isValidTimeZone,
  type KeyPoint,
  type LeadMedia,
  type ListedPage,
  type LivePage,
  type PageStatus,
  type ReviewMode,
  type TextFormatSettings,
} from '../domain/page.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import type { PageChanges, StoreReader } from '../store/store.ts';
import { commit, commitOnPage, valueOf, type Committed, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import type { IdempotencyRequest } from './idempotency.ts';
import { refuse } from '../embeds/publish-check.ts';
import { DEFAULT_REMOTE_ORIGINS, remoteLeadProblems } from '../media/remote-origins.ts';

/** The fields of a page that its editors set. */
interface PageFields {
  description?: string;
  status?: PageStatus;
  summary?: KeyPoint[];
  leadMedia?: LeadMedia | null;
  timeZone?: string;
  textFormat?: TextFormatSettings;
  /** Whether contributors' posts go to review first (docs/workflow.md). */
  reviewMode?: ReviewMode;
  /** When a `scheduled` page goes live by itself; null for no time. */
  scheduledFor?: string | null;
}

export interface NewPageInput extends PageFields {
  slug: string;
  title: string;
}

export interface PageEditInput extends PageFields {
  /** The revision the editor read: a stale one is an EDIT_CONFLICT. */
  revision: number;
  title?: string;
}

/** The live page with this slug, or PAGE_NOT_FOUND. */
export async function findPage(store: StoreReader, slug: string): Promise<LivePage> {
  const page = await store.getPage(slug);
  if (!page) throw new LivelineError('PAGE_NOT_FOUND', `No live page has the slug "${slug}".`);
  return page;
}

/** Every live page: live ones first, then by last update. */
export async function listPages(deps: ServiceDeps): Promise<LivePage[]> {
  const order: Record<PageStatus, number> = { live: 0, paused: 1, scheduled: 2, ended: 3 };
  const pages = await deps.store.listPages();
  return pages.sort((a, b) => order[a.status] - order[b.status]);
}

/**
 * The front page's list: every live page, live ones first, each dated by its newest post
 * (one grouped read), never by when its row was written: an imported capture's row is
 * written on the day of the import.
 */
export async function listFrontPage(deps: ServiceDeps): Promise<ListedPage[]> {
  const [pages, lastPosts] = await Promise.all([listPages(deps), deps.store.lastPostTimes()]);
  return pages.map((page) => ({
    page,
    lastUpdated: lastPosts.get(page.id) ?? page.startedAt ?? page.createdAt,
  }));
}

/**
 * A lead picture needs its description, as every picture does; its address (and a video's
 * poster) must come from an allowed origin (MEDIA_REMOTE_ORIGINS). Unchanged lead media is
 * not checked again.
 */
function checkLeadMedia(
  deps: ServiceDeps,
  media: LeadMedia | null | undefined,
  current: LeadMedia | null = null,
): void {
  if (!media || isDeepStrictEqual(media, current)) return;
  const problems = remoteLeadProblems(media, deps.remoteOrigins ?? DEFAULT_REMOTE_ORIGINS);
  if (media.kind === 'image' && media.media !== undefined && !media.alt?.trim())
    problems.push({
      field: '/leadMedia/alt',
      reason: 'describes the picture for people who cannot see it, and is required',
    });
  refuse(problems);
}

function checkTimeZone(zone: string | undefined): void {
  if (zone !== undefined && !isValidTimeZone(zone)) {
    throw invalid('/timeZone', `"${zone}" is not an IANA time zone this server knows`);
  }
}

/** Creates a live page. */
export async function createPage(
  deps: ServiceDeps,
  actor: User,
  input: NewPageInput,
  idempotency?: IdempotencyRequest<LivePage>,
): Promise<Committed<LivePage>> {
  authorize(actor, 'page.create');
  checkTimeZone(input.timeZone);
  checkLeadMedia(deps, input.leadMedia);
  const write = ({ tx }: Work) =>
    tx.insertPage({
      slug: input.slug,
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? 'scheduled',
      summary: input.summary ?? [],
      leadMedia: input.leadMedia ?? null,
      timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
      textFormat: input.textFormat ?? DEFAULT_TEXT_FORMAT,
      reviewMode: input.reviewMode ?? 'direct',
      scheduledFor: instantOrNull(input.scheduledFor),
    });
  return commit(deps, write, { idempotency: idempotency && { ...idempotency, userId: actor.id } });
}

/**
 * The coverage times that follow from a change of status (`status` is never the page's own:
 * an edit's changes hold only what differs, and the scheduler moves a scheduled page). A
 * page's coverage has started (`startedAt`) exactly when it is not scheduled: the store dates
 * a page made in any other status, and the first move out of `scheduled` dates it here.
 */
function statusTimes(page: LivePage, status: PageStatus, at: string): PageChanges {
  if (status === 'scheduled') {
    throw invalid('/status', 'a page whose coverage has started cannot be scheduled again');
  }
  return {
    ...(page.startedAt === null && { startedAt: at }),
    endedAt: status === 'ended' ? at : null,
  };
}

/** One form for stored instants (they sort as text in either database). */
function instantOrNull(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** The fields of an edit that differ from the page as it is. */
function pageChanges(current: LivePage, input: PageFields & { title?: string }): PageChanges {
  const fields =
    input.scheduledFor === undefined
      ? input
      : { ...input, scheduledFor: instantOrNull(input.scheduledFor) };
  const changed = Object.entries(fields).filter(
    ([field, value]) =>
      value !== undefined && !isDeepStrictEqual(current[field as keyof PageFields], value),
  );
  return Object.fromEntries(changed) as PageChanges;
}

/**
 * Edits a live page's own fields (title, summary, status...), at the revision it was read.
 * An edit that changes nothing writes nothing: no new revision, no change-log entry.
 */
export async function editPage(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  input: PageEditInput,
): Promise<LivePage> {
  authorize(actor, 'page.edit');
  checkTimeZone(input.timeZone);
  const { revision, ...fields } = input;
  const write = async ({ tx, log }: Work, current: LivePage) => {
    if (revision !== current.revision) {
      throw new LivelineError(
        'EDIT_CONFLICT',
        `The page is at revision ${current.revision}, not ${revision}.`,
        { extra: { currentRevision: current.revision } },
      );
    }
    checkLeadMedia(deps, fields.leadMedia, current.leadMedia);
    const changes = pageChanges(current, fields);
    if (Object.keys(changes).length === 0) return current;
    const times =
      changes.status === undefined
        ? {}
        : statusTimes(current, changes.status, deps.now().toISOString());
    const updated = await tx.updatePage(current.id, revision, { ...changes, ...times });
    if (!updated)
      throw new LivelineError('EDIT_CONFLICT', 'The page changed while it was being saved.');
    let lastSeq = updated.lastSeq;
    if (Object.keys(changes).some((key) => key !== 'status'))
      lastSeq = (await log(updated.id, null, { kind: 'page.updated', page: updated })).seq;
    if (changes.status !== undefined)
      lastSeq = (await log(updated.id, null, { kind: 'page.status_changed', page: updated })).seq;
    // The page row now carries the newest sequence number too.
    return { ...updated, lastSeq };
  };
  return valueOf(await commitOnPage(deps, slug, write));
}

/**
 * The scheduler's half of page scheduling: a `scheduled` page whose time has come goes live,
 * logged as `page.status_changed` like a manual change. Inside the page's lock it reads the
 * page again, so of several instances racing for it one acts and the others find it live.
 * True when this call made it live.
 */
export async function startScheduledPage(deps: ServiceDeps, slug: string): Promise<boolean> {
  const write = async ({ tx, log }: Work, current: LivePage) => {
    const now = deps.now();
    const due =
      current.status === 'scheduled' &&
      current.scheduledFor !== null &&
      new Date(current.scheduledFor).getTime() <= now.getTime();
    if (!due) return false;
    const status = 'live';
    const updated = await tx.updatePage(current.id, current.revision, {
      status,
      ...statusTimes(current, status, now.toISOString()),
    });
    if (!updated) return false;
    await log(updated.id, null, { kind: 'page.status_changed', page: updated });
    return true;
  };
  return valueOf(await commitOnPage(deps, slug, write));
}
