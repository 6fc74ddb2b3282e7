import { invalid } from '../domain/errors.ts';
import { NewPageBody, NewPostBody } from '../domain/schemas.ts';
import { check } from '../domain/validate.ts';
import type { LivePage, PageStatus, TextFormatSettings } from '../domain/page.ts';
import { authorize } from '../domain/permissions.ts';
import type { User } from '../domain/user.ts';
import {
  parse,
  type DroppedPost,
  type ParsedCapture,
  type ParsedPost,
} from '../formats/bbc-text/index.ts';
import { commit, commitValue, type Committed, type Work } from './commit.ts';
import type { ServiceDeps } from './deps.ts';
import { recordStep } from './history.ts';
import type { IdempotencyRequest } from './idempotency.ts';

export interface ImportInput {
  slug: string;
  /** Captures hold no title: this one, or one made from the slug. */
  title?: string;
  description?: string;
  status?: PageStatus;
  /** The pages of one live page, page 1 (the newest posts) first. */
  captures: { name: string; text: string }[];
  year?: number;
  captureDate?: string;
  /** Import the complete posts of a damaged capture and report the rest, instead of failing. */
  partial?: boolean;
  /** Text settings to record instead of what the capture showed. */
  textFormat?: Partial<TextFormatSettings>;
  /** Told how many posts are written so far, out of how many. */
  onProgress?: (written: number, total: number) => void;
}

export interface ImportReport {
  page: LivePage;
  posts: number;
  assumptions: string[];
  dropped: (DroppedPost & { capture: string })[];
}

/** "ukraine-peace-talks" -> "Ukraine peace talks". */
function titleFromSlug(slug: string): string {
  const words = slug.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Parses every capture before anything is written: one bad capture fails the whole import. */
function parseAll(input: ImportInput): { name: string; parsed: ParsedCapture }[] {
  if (input.captures.length === 0) throw invalid('/captures', 'at least one capture is needed');
  const options = { year: input.year, captureDate: input.captureDate, partial: input.partial };
  return input.captures.map(({ name, text }) => {
    try {
      return { name, parsed: parse(text, options) };
    } catch (error) {
      if (error instanceof Error && input.captures.length > 1)
        error.message = `${name}: ${error.message}`;
      throw error;
    }
  });
}

/**
 * Checks what the parser recovered against the schemas the API enforces: an import can only
 * create pages and posts that the API could have created, read, edited and deleted.
 */
function checkPost(post: ParsedPost, where: string): void {
  const { headline, body, publishedAt, labels, contributors } = post;
  check(NewPostBody, { headline, body, publishedAt, labels, contributors }, where);
}

/**
 * Imports captures of a BBC-style live page as a new live page with all their posts, in one
 * transaction: every post and its change-log entry, or nothing.
 */
export async function importPage(
  deps: ServiceDeps,
  actor: User,
  input: ImportInput,
): Promise<ImportReport>;
/** With an Idempotency-Key: a repeat gets the first answer and imports nothing. */
export async function importPage(
  deps: ServiceDeps,
  actor: User,
  input: ImportInput,
  idempotency: IdempotencyRequest<ImportReport>,
): Promise<Committed<ImportReport>>;
export async function importPage(
  deps: ServiceDeps,
  actor: User,
  input: ImportInput,
  idempotency?: IdempotencyRequest<ImportReport>,
): Promise<ImportReport | Committed<ImportReport>> {
  authorize(actor, 'page.import');
  const title = input.title ?? titleFromSlug(input.slug);
  // The page's own fields first: a bad slug or title is reported before any parsing.
  const { description, status } = input;
  check(NewPageBody, { slug: input.slug, title, description, status }, '');
  const captures = parseAll(input);
  const { parsed: first } = captures[0] as { parsed: ParsedCapture };
  const pageFields = {
    slug: input.slug,
    title,
    description: description ?? '',
    status: status ?? 'ended',
    summary: first.summary,
    leadMedia: first.leadMedia,
    timeZone: first.timeZone,
    textFormat: { ...first.textFormat, ...input.textFormat },
  };
  check(NewPageBody, pageFields, '');
  // Newest first across the captures, as a reader pages through them.
  const posts = captures.flatMap(({ parsed }) => parsed.posts);
  posts.forEach((post, index) => checkPost(post, `/posts/${index}`));

  const write = async ({ tx, log }: Work): Promise<ImportReport> => {
    const page = await tx.insertPage(pageFields);
    let lastSeq = 0;
    // Oldest first, so posts of the same minute keep the capture's order (ids sort by creation).
    for (const [index, post] of [...posts].reverse().entries()) {
      const inserted = await tx.insertPost({
        ...post,
        pageId: page.id,
        status: 'published',
        pinned: false,
        authorId: actor.id,
      });
      lastSeq = (await log(page.id, inserted.id, { kind: 'post.published', post: inserted })).seq;
      await recordStep(tx, {
        post: inserted,
        actor,
        action: 'published',
        withContent: true,
        note: 'Imported from a capture',
      });
      input.onProgress?.(index + 1, posts.length);
    }
    await tx.adjustPostCount(page.id, posts.length);
    return {
      page: { ...page, postCount: posts.length, lastSeq },
      posts: posts.length,
      assumptions: [...new Set(captures.flatMap(({ parsed }) => parsed.assumptions))],
      dropped: captures.flatMap(({ name, parsed }) =>
        parsed.dropped.map((d) => ({ ...d, capture: name })),
      ),
    };
  };
  if (!idempotency) return commitValue(deps, write);
  return commit(deps, write, { idempotency: { ...idempotency, userId: actor.id } });
}
