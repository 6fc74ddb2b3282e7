import { LivelineError, invalid } from '../domain/errors.ts';
import {
  DEFAULT_TEXT_FORMAT,
  DEFAULT_TIME_ZONE,
  isValidTimeZone,
  type KeyPoint,
  type LeadMedia,
  type LivePage,
  type PageStatus,
  type TextFormatSettings,
} from '../domain/page.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import type { PageChanges, StoreReader } from '../store/store.ts';
import { announce, type ServiceDeps } from './deps.ts';
import { once, type IdempotencyRequest, type Once } from './idempotency.ts';
import { presentPage } from './present.ts';

/** The fields of a page that its editors set. */
interface PageFields {
  description?: string;
  status?: PageStatus;
  summary?: KeyPoint[];
  leadMedia?: LeadMedia | null;
  timeZone?: string;
  textFormat?: TextFormatSettings;
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
  idempotency?: IdempotencyRequest,
): Promise<Once<LivePage>> {
  authorize(actor, 'page.create');
  checkTimeZone(input.timeZone);
  return once(deps, actor, idempotency, async (tx) => {
    const page = await tx.insertPage({
      slug: input.slug,
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? 'scheduled',
      summary: input.summary ?? [],
      leadMedia: input.leadMedia ?? null,
      timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
      textFormat: input.textFormat ?? DEFAULT_TEXT_FORMAT,
    });
    return { value: page, status: 201, body: presentPage(page) };
  });
}

/** The coverage times that follow from a change of status. */
function statusTimes(page: LivePage, status: PageStatus, at: string): PageChanges {
  if (status === page.status) return {};
  if (status === 'scheduled' && page.startedAt !== null) {
    throw invalid('/status', 'a page whose coverage has started cannot be scheduled again');
  }
  return {
    ...(status !== 'scheduled' && page.startedAt === null && { startedAt: at }),
    endedAt: status === 'ended' ? at : null,
  };
}

/** Edits a live page's own fields (title, summary, status...), at the revision it was read. */
export async function editPage(
  deps: ServiceDeps,
  actor: User,
  slug: string,
  input: PageEditInput,
): Promise<LivePage> {
  authorize(actor, 'page.edit');
  checkTimeZone(input.timeZone);
  const { revision, ...fields } = input;
  const { page, changes } = await deps.store.transaction(async (tx) => {
    const current = await findPage(tx, slug);
    const times =
      input.status === undefined
        ? {}
        : statusTimes(current, input.status, deps.now().toISOString());
    const updated = await tx.updatePage(current.id, revision, { ...fields, ...times });
    if (!updated) {
      throw new LivelineError(
        'EDIT_CONFLICT',
        `The page is at revision ${current.revision}, not ${revision}.`,
        {
          extra: { currentRevision: current.revision },
        },
      );
    }
    const statusChanged = input.status !== undefined && input.status !== current.status;
    const otherFields = Object.keys(fields).some((key) => key !== 'status');
    const logged = [];
    if (otherFields)
      logged.push(await tx.appendChange(updated.id, null, { kind: 'page.updated', page: updated }));
    if (statusChanged) {
      logged.push(
        await tx.appendChange(updated.id, null, { kind: 'page.status_changed', page: updated }),
      );
    }
    // The page row now carries the newest sequence number too.
    return {
      page: { ...updated, lastSeq: logged.at(-1)?.seq ?? updated.lastSeq },
      changes: logged,
    };
  });
  await announce(deps, changes);
  return page;
}
