import { invalid } from '../domain/errors.ts';
import type { Correction, Post } from '../domain/post.ts';

/** What an edit asks for when it is a correction rather than a silent fix. */
export interface CorrectionRequest {
  note: string;
}

/** A correction an edit makes: the post's corrections with the new one last. */
export interface CorrectionStep {
  note: string;
  corrections: Correction[];
}

/**
 * The correction an edit of `post` carries, or null for a silent fix (docs/corrections.md).
 * Only a post readers have seen can be corrected, and it must stay published: a draft, a
 * submission or an edit that also unpublishes is refused with nothing written. A correction
 * need not change the text (the text may have been fixed silently before the note was
 * agreed): it still makes a new revision, so every reader's copy of the post shows the note.
 */
export function correctionOf(
  post: Post,
  request: CorrectionRequest | undefined,
  status: Post['status'] | undefined,
  at: Date,
): CorrectionStep | null {
  if (request === undefined) return null;
  if (post.status !== 'published' || (status !== undefined && status !== 'published'))
    throw invalid('/correction', 'only a published post that stays published can be corrected');
  const note = request.note.trim();
  return { note, corrections: [...post.corrections, { note, at: at.toISOString() }] };
}
