import type { Editor } from '@tiptap/core';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { ErrorNote } from './fields.tsx';
import { previewSrc } from './media-nodes.ts';
import { imageAttrs, pictureDraft, uploadPicture, type PictureDraft } from './media-upload.ts';
import { FilePreview, PictureDropzone } from './picture-picker.tsx';

export type MediaPanelKind = 'image' | 'gallery';

/**
 * The picture form under the editor (ADR 0020): choose, drop, paste or take a photo, say
 * what it shows (alt text, required), who took it and a caption, and it is uploaded and put
 * in the post. With an image selected it edits that image, and an image that came without a
 * file (an imported capture: "Needs picture") gets one attached. A gallery takes several.
 */
export function MediaPanel(props: {
  kind: MediaPanelKind;
  prefix: string;
  editor: Editor | null;
  /** The selected image's attributes: the form changes it instead of inserting one. */
  selected: Record<string, unknown> | null;
  /** Files dropped or pasted on the composer, to start with. */
  files: File[];
  close: () => void;
}) {
  const gallery = props.kind === 'gallery';
  const selected = gallery ? null : props.selected;
  const [drafts, setDrafts] = useState<PictureDraft[]>(() => {
    if (selected)
      return [
        pictureDraft(props.files[0] ?? null, {
          alt: String(selected.alt ?? ''),
          caption: String(selected.caption ?? ''),
          credit: String(selected.credit ?? ''),
        }),
      ];
    if (props.files.length > 0)
      return props.files.slice(0, gallery ? 20 : 1).map((file) => pictureDraft(file));
    // A single picture's text can be written before the file is chosen.
    return gallery ? [] : [pictureDraft(null)];
  });
  const [address, setAddress] = useState(
    typeof selected?.src === 'string' && !selected.media ? selected.src : '',
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chooser = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => chooser.current?.focus(), [props.kind]);

  const id = (name: string) => `${props.prefix}-media-${name}`;
  const add = (files: File[]) => {
    if (files.length === 0) return;
    setError(null);
    if (!gallery) {
      const [file] = files;
      const keep = drafts[0] ?? pictureDraft(null);
      setDrafts([
        {
          ...pictureDraft(file ?? null),
          alt: keep.alt,
          caption: keep.caption,
          credit: keep.credit,
        },
      ]);
      return;
    }
    setDrafts([...drafts, ...files.map((file) => pictureDraft(file))].slice(0, 20));
  };
  const change = (key: string, field: 'alt' | 'caption' | 'credit', value: string) =>
    setDrafts(drafts.map((d) => (d.key === key ? { ...d, [field]: value } : d)));
  const remove = (key: string) => setDrafts(drafts.filter((d) => d.key !== key));

  const apply = async () => {
    const e = props.editor;
    if (!e || busy) return;
    const src = address.trim() || null;
    const chosen = drafts.length > 0 ? drafts : src ? [pictureDraft(null)] : [];
    if (chosen.length === 0 || (!selected && !src && chosen.some((d) => !d.file)))
      return setError('Choose, drop or paste a picture first.');
    const nameless = chosen.findIndex((d) => d.alt.trim() === '');
    if (nameless >= 0) {
      return setError(
        `Describe ${gallery ? `picture ${nameless + 1}` : 'the picture'} in its alt text: readers who cannot see it rely on it.`,
      );
    }
    if (!gallery && !chosen[0]?.file && src && !/^https:\/\/\S+$/.test(src)) {
      return setError('A picture address starts with https://.');
    }
    setBusy(true);
    setError(null);
    try {
      const images = [];
      for (const draft of chosen) {
        const media = draft.file ? await uploadPicture({ ...draft, file: draft.file }) : null;
        const keep =
          selected && !media
            ? {
                media: selected.media ?? null,
                width: selected.width ?? null,
                height: selected.height ?? null,
              }
            : {};
        images.push({ ...imageAttrs(draft, media, gallery ? null : src), ...keep });
      }
      // With a picture selected, a new one goes after it rather than replacing it.
      const after = e.isActive('image') || e.isActive('gallery') ? e.state.selection.to : null;
      const insert = (content: Record<string, unknown>) =>
        after === null
          ? e.chain().insertContent(content).run()
          : e.chain().insertContentAt(after, content).run();
      if (gallery) {
        insert({
          type: 'gallery',
          attrs: { images: images.map((attrs) => ({ type: 'image', ...withoutNulls(attrs) })) },
        });
      } else if (selected) {
        e.chain()
          .updateAttributes('image', images[0] ?? {})
          .run();
      } else {
        insert({ type: 'image', attrs: images[0] });
      }
      props.close();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const needsPicture = selected !== null && previewSrc(selected) === null;
  const title = gallery
    ? 'Insert a gallery'
    : needsPicture
      ? 'Needs picture: attach one'
      : selected
        ? 'Edit the image'
        : 'Insert a picture';
  return (
    <div
      class="panel media-panel"
      role="group"
      aria-label={title}
      onKeyDown={(event) => {
        if (
          event.key === 'Enter' &&
          !event.ctrlKey &&
          !event.metaKey &&
          event.target instanceof HTMLInputElement &&
          event.target.type !== 'file'
        ) {
          event.preventDefault();
          event.stopPropagation();
          void apply();
        }
      }}
    >
      <p class="panel__title">{title}</p>
      <PictureDropzone
        prefix={`${props.prefix}-media`}
        multiple={gallery}
        onFiles={add}
        chooserRef={chooser}
      />
      <ul class="picture-drafts">
        {drafts.map((draft, index) => (
          <li key={draft.key} class="picture-draft">
            {draft.file ? (
              <FilePreview file={draft.file} />
            ) : selected && previewSrc(selected) ? (
              <img class="picture-draft__preview" src={previewSrc(selected) ?? ''} alt="" />
            ) : (
              <span class="needs-picture">Needs picture</span>
            )}
            <div class="picture-draft__fields">
              {(['alt', 'caption', 'credit'] as const).map((field) => (
                <label class="field" for={id(`${field}-${index}`)} key={field}>
                  <span class="field__label">
                    {{ alt: 'Alt text', caption: 'Caption', credit: 'Credit' }[field]}
                    {gallery ? ` (picture ${index + 1})` : ''}
                    {field === 'alt' ? ' (required)' : ''}
                  </span>
                  <input
                    id={id(`${field}-${index}`)}
                    class="input"
                    aria-required={field === 'alt'}
                    value={draft[field]}
                    onInput={(e) => change(draft.key, field, e.currentTarget.value)}
                  />
                </label>
              ))}
              {gallery ? (
                <button
                  type="button"
                  class="button button--quiet button--small"
                  onClick={() => remove(draft.key)}
                >
                  Remove picture {index + 1}
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {!gallery && !drafts[0]?.file ? (
        <label class="field" for={id('src')}>
          <span class="field__label">Or the address of a picture on the web</span>
          <input
            id={id('src')}
            class="input"
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        </label>
      ) : null}
      <ErrorNote error={error} />
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          disabled={busy}
          onClick={() => void apply()}
        >
          {busy ? 'Uploading…' : selected ? 'Save picture' : 'Insert'}
        </button>
        <button type="button" class="button button--quiet" onClick={props.close}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function withoutNulls(attrs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null && v !== ''));
}
