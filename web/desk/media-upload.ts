import type { MediaJson } from '../../src/services/media.ts';
import { api } from './api.ts';

/** One picture chosen at the desk, before and after it is uploaded. */
export interface PictureDraft {
  /** A stable key for the list (files have no id). */
  key: string;
  file: File | null;
  alt: string;
  caption: string;
  credit: string;
}

let counter = 0;

/** A draft for a chosen file (or none: a picture to attach later, or an address). */
export function pictureDraft(file: File | null, start: Partial<PictureDraft> = {}): PictureDraft {
  counter += 1;
  return {
    key: `picture-${counter}`,
    file,
    alt: '',
    caption: '',
    credit: '',
    ...start,
  };
}

/** The images among what was dropped or pasted (files of any other type are ignored). */
export function imageFiles(list: FileList | null | undefined): File[] {
  return [...(list ?? [])].filter((file) => file.type.startsWith('image/') || file.type === '');
}

/**
 * Uploads a picture (POST /desk/api/media, multipart): the server decides its type from the
 * bytes, makes its variants and answers its content id and size.
 */
export async function uploadPicture(draft: PictureDraft & { file: File }): Promise<MediaJson> {
  const form = new FormData();
  form.append('alt', draft.alt.trim());
  if (draft.credit.trim()) form.append('credit', draft.credit.trim());
  if (draft.caption.trim()) form.append('caption', draft.caption.trim());
  form.append('file', draft.file, draft.file.name || 'picture');
  const { media } = await api<{ media: MediaJson }>('POST', '/desk/api/media', form);
  return media;
}

/** The image block attributes of an uploaded picture, as the editor keeps them. */
export function imageAttrs(draft: PictureDraft, media: MediaJson | null, src: string | null) {
  const text = (value: string) => value.trim() || null;
  return {
    src: media ? null : src,
    media: media?.id ?? null,
    width: media?.width ?? null,
    height: media?.height ?? null,
    alt: draft.alt.trim(),
    caption: text(draft.caption),
    credit: text(draft.credit),
  };
}
