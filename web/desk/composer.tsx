import type { Editor } from '@tiptap/core';
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Contributor, Label } from '../../src/domain/post.ts';
import { api, ApiError, newIdempotencyKey, type DeskPost, type Problem } from './api.ts';
import { bodyToDoc, docToBody, type EditorNode } from './body-mapping.ts';
import { CorrectionField } from './correction.tsx';
import { EmbedPanel } from './embed-panel.tsx';
import { insertAtom } from './insert-atom.ts';
import { videoKind } from '../../src/domain/video-kind.ts';
import { draftKey, dropDraft, loadDraft, saveDraft, type Composition } from './drafts.ts';
import { Preview } from './preview.tsx';
import { RichEditor } from './rich-editor.tsx';
import { Bylines, type Person } from './bylines.tsx';
import { ErrorNote } from './fields.tsx';
import { ComposerSchedule } from './schedule.tsx';
import { MediaPanel, type MediaPanelKind } from './media-panel.tsx';
import { imageFiles } from './media-upload.ts';
import { previewSrc } from './media-nodes.ts';

const LABELS: { value: Label; name: string }[] = [
  { value: 'breaking', name: 'Breaking' },
  { value: 'analysis', name: 'Analysis' },
  { value: 'key', name: 'Key event' },
];

/** The insert and link forms the toolbar opens below the editor. */
type PanelKind = 'link' | 'image' | 'embed' | 'video' | MediaPanelKind;

/** The toolbar: a command on the selection, or a form that inserts a block. */
const TOOLS: ({ tool: string; face: JSX.Element | string; name?: string } & (
  { command: (e: Editor) => void } | { panel: PanelKind }
))[] = [
  { tool: 'bold', face: <b>B</b>, name: 'Bold', command: (e) => e.chain().toggleBold().run() },
  {
    tool: 'italic',
    face: <i>I</i>,
    name: 'Italic',
    command: (e) => e.chain().toggleItalic().run(),
  },
  { tool: 'link', face: 'Link', panel: 'link' },
  { tool: 'blockquote', face: 'Quote', command: (e) => e.chain().toggleBlockquote().run() },
  { tool: 'bulletlist', face: 'List', command: (e) => e.chain().toggleBulletList().run() },
  { tool: 'image', face: 'Image', panel: 'image' },
  { tool: 'gallery', face: 'Gallery', panel: 'gallery' },
  { tool: 'embed', face: 'Embed', panel: 'embed' },
  { tool: 'video', face: 'Video', panel: 'video' },
];

export interface ConflictInfo {
  mine: Composition;
  theirs: DeskPost;
}

function fresh(post: DeskPost | null): Composition {
  return {
    headline: post?.headline ?? '',
    labels: post?.labels ?? [],
    contributors: post?.contributors ?? [],
    doc: bodyToDoc(post?.body ?? []),
    base: post,
    idempotencyKey: newIdempotencyKey(),
  };
}

/**
 * The composer: headline, labels, bylines, the structured body, preview, Publish and Save.
 * The same component writes a new post and edits one in place. Every change is kept in
 * localStorage until the server has it.
 */
export function Composer(props: {
  slug: string;
  post: DeskPost | null;
  people: Person[];
  readerCss: string;
  /** A composition to start from instead of the stored one (after a conflict merge). */
  start?: Composition;
  /** A contributor on a review page: Publish is "Submit for review" (docs/workflow.md). */
  submitForReview?: boolean;
  /** The page's time zone: with it, a new post or a draft may be scheduled from here. */
  timeZone?: string;
  onSaved: (post: DeskPost) => void;
  onCancel?: () => void;
  onConflict: (conflict: ConflictInfo) => void;
}) {
  const { slug, post } = props;
  const key = draftKey(slug, post?.id ?? null);
  const prefix = post ? `edit-${post.id}` : 'new';
  const [comp, setComp] = useState<Composition>(() => props.start ?? loadDraft(key) ?? fresh(post));
  const [restored] = useState(() => !props.start && loadDraft(key) !== null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<null | PanelKind>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [editorEpoch, setEditorEpoch] = useState(0);
  // null: a silent fix; text: the public note of a correction (published posts only).
  const [correction, setCorrection] = useState<string | null>(null);
  // What the cursor is in: a quote (its attribution) or a selected image (its attributes).
  const [within, setWithin] = useState<{
    quote: string | null;
    image: Record<string, string> | null;
  }>({ quote: null, image: null });
  const editor = useRef<Editor | null>(null);
  const inFlight = useRef(false);
  // Pictures dropped or pasted on the body open the picture form with them (ADR 0020).
  const [dropped, setDropped] = useState<File[]>([]);
  const takeFiles = (event: DragEvent | ClipboardEvent) => {
    const list = 'dataTransfer' in event ? event.dataTransfer?.files : event.clipboardData?.files;
    const files = imageFiles(list);
    if (files.length === 0) return;
    event.preventDefault();
    event.stopPropagation();
    setDropped(files);
    setPanel(files.length > 1 ? 'gallery' : 'image');
  };

  const update = (change: Partial<Composition>) =>
    setComp((current) => {
      const next = { ...current, ...change };
      saveDraft(key, next);
      return next;
    });

  // A composition handed in (a merge) is stored at once, so a reload keeps it too.
  useEffect(() => {
    if (props.start) saveDraft(key, props.start);
  }, [props.start, key]);

  const bodyOrError = () => {
    const mapped = docToBody(comp.doc, location.origin);
    if (!mapped.ok) setError(mapped.error);
    return mapped.ok ? mapped.value : null;
  };

  async function save(asked: 'published' | 'draft' | 'keep', scheduledFor?: string) {
    if (inFlight.current) return;
    const status = scheduledFor
      ? 'scheduled'
      : asked === 'published' && props.submitForReview
        ? 'submitted'
        : asked;
    const body = bodyOrError();
    if (!body) return;
    if (comp.headline.trim() === '') {
      setError('Write a headline first.');
      document.getElementById(`${prefix}-headline`)?.focus();
      return;
    }
    if (correction !== null && correction.trim() === '') {
      setError('Write the correction note readers will see, or untick "This is a correction".');
      document.getElementById(`${prefix}-correction-note`)?.focus();
      return;
    }
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const fields = {
      headline: comp.headline.trim(),
      body,
      labels: comp.labels,
      contributors: comp.contributors,
    };
    try {
      let saved: DeskPost;
      if (post) {
        const revision = comp.base?.revision ?? post.revision;
        saved = await api<DeskPost>('PATCH', `/api/pages/${slug}/posts/${post.id}`, {
          ...fields,
          revision,
          ...(status !== 'keep' && { status }),
          ...(correction !== null && { correction: { note: correction.trim() } }),
          ...(scheduledFor && { scheduledFor }),
        });
      } else {
        saved = await api<DeskPost>(
          'POST',
          `/api/pages/${slug}/posts`,
          {
            ...fields,
            status: status === 'keep' ? 'draft' : status,
            ...(scheduledFor && { scheduledFor }),
          },
          { 'idempotency-key': comp.idempotencyKey },
        );
      }
      dropDraft(key);
      const next = fresh(null);
      setComp(next);
      setPreview(null);
      setEditorEpoch((n) => n + 1);
      props.onSaved(saved);
    } catch (err) {
      const problem: Problem | null = err instanceof ApiError ? err.problem : null;
      if (problem?.code === 'EDIT_CONFLICT' && post) {
        const theirs = await latest(slug, post.id);
        if (theirs) props.onConflict({ mine: comp, theirs });
        else setError('This post was deleted by someone else. Your text is still here.');
      } else {
        setError(err instanceof Error ? err.message : String(err));
        // A refused request stored nothing; the next attempt may carry changed text.
        update({ idempotencyKey: newIdempotencyKey() });
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  async function showPreview() {
    const body = bodyOrError();
    if (!body) return;
    try {
      const { html } = await api<{ html: string }>('POST', '/desk/api/preview', {
        slug,
        post: {
          headline: comp.headline.trim() || 'Headline',
          body,
          labels: comp.labels,
          contributors: comp.contributors,
        },
      });
      setError(null);
      setPreview(html);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save(post ? 'keep' : 'published');
    }
    if (event.key === 'k' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      setPanel('link');
    }
    if (event.key === 'Escape' && panel) {
      setPanel(null);
      // ProseMirror's own focus is synchronous (tiptap's waits a frame): the next key lands here.
      editor.current?.view.focus();
    }
  };

  const run = (command: (e: Editor) => void) => () => {
    if (!editor.current) return;
    command(editor.current);
    editor.current.view.focus();
  };

  const isDraft = post?.status === 'draft';
  return (
    <form
      class="composer"
      aria-labelledby={`${prefix}-title`}
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        void save(post && !isDraft ? 'keep' : 'published');
      }}
    >
      <h2 id={`${prefix}-title`} class="composer__title">
        {post ? 'Edit post' : 'New post'}
      </h2>
      {restored ? (
        <p class="notice" role="status">
          Restored your unsaved text from this browser.
        </p>
      ) : null}
      <label class="field" for={`${prefix}-headline`}>
        <span class="field__label">Headline</span>
        <input
          id={`${prefix}-headline`}
          class="input input--headline"
          value={comp.headline}
          maxLength={300}
          onInput={(e) => update({ headline: e.currentTarget.value })}
        />
      </label>
      <fieldset class="labels">
        <legend class="field__label">Labels</legend>
        {LABELS.map((label) => (
          <label key={label.value} class="check">
            <input
              type="checkbox"
              checked={comp.labels.includes(label.value)}
              onChange={(e) =>
                update({
                  labels: e.currentTarget.checked
                    ? LABELS.map((l) => l.value).filter(
                        (v) => v === label.value || comp.labels.includes(v),
                      )
                    : comp.labels.filter((l) => l !== label.value),
                })
              }
            />
            {label.name}
          </label>
        ))}
      </fieldset>
      <Bylines
        id={prefix}
        people={props.people}
        value={comp.contributors}
        onChange={(contributors: Contributor[]) => update({ contributors })}
      />
      <div class="field">
        <span class="field__label" id={`${prefix}-body-label`}>
          Body
        </span>
        <div class="toolbar" role="toolbar" aria-label="Body formatting">
          {TOOLS.map((t) => (
            <button
              key={t.tool}
              type="button"
              class="tool"
              data-tool={t.tool}
              onClick={'panel' in t ? () => setPanel(t.panel) : run(t.command)}
            >
              {t.face}
              {t.name ? <span class="visually-hidden"> {t.name}</span> : null}
            </button>
          ))}
        </div>
        <div onPasteCapture={takeFiles} onDropCapture={takeFiles}>
          <RichEditor
            key={editorEpoch}
            id={`${prefix}-body`}
            labelledBy={`${prefix}-body-label`}
            initial={comp.doc}
            onChange={(doc: EditorNode) => update({ doc })}
            onReady={(e) => {
              editor.current = e;
              e?.on('transaction', () => setWithin(whereIn(e)));
            }}
          />
        </div>
        {within.quote !== null ? (
          <label class="field field--inline" for={`${prefix}-attribution`}>
            <span class="field__label">Who said this quote (attribution)</span>
            <input
              id={`${prefix}-attribution`}
              class="input"
              value={within.quote}
              onInput={(e) =>
                editor.current?.commands.updateAttributes('blockquote', {
                  attribution: e.currentTarget.value || null,
                })
              }
            />
          </label>
        ) : null}
        {within.image && !panel ? (
          <button type="button" class="button button--small" onClick={() => setPanel('image')}>
            {previewSrc(within.image) === null ? 'Attach a picture' : 'Edit the selected image'}
          </button>
        ) : null}
        {panel === 'embed' ? (
          <EmbedPanel
            prefix={prefix}
            editor={editor.current}
            readerCss={props.readerCss}
            close={() => {
              setPanel(null);
              editor.current?.view.focus();
            }}
          />
        ) : panel === 'image' || panel === 'gallery' ? (
          <MediaPanel
            kind={panel}
            prefix={prefix}
            editor={editor.current}
            selected={
              panel === 'image' && editor.current?.isActive('image')
                ? editor.current.getAttributes('image')
                : null
            }
            files={dropped}
            close={() => {
              setPanel(null);
              setDropped([]);
              editor.current?.view.focus();
            }}
          />
        ) : panel ? (
          <InsertPanel
            kind={panel}
            prefix={prefix}
            editor={editor.current}
            close={() => {
              setPanel(null);
              // ProseMirror's own focus, at once. tiptap's focus() waits a frame and then
              // writes its selection back to the page: a key pressed meanwhile (End) was
              // undone, and the next Enter replaced the link just made.
              editor.current?.view.focus();
            }}
          />
        ) : null}
      </div>
      {post?.status === 'published' ? (
        <CorrectionField prefix={prefix} note={correction} onChange={setCorrection} />
      ) : null}
      <ErrorNote error={error} />
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {post && !isDraft
            ? 'Save changes'
            : props.submitForReview
              ? 'Submit for review'
              : 'Publish'}
        </button>
        {!post || isDraft ? (
          <button type="button" class="button" disabled={busy} onClick={() => void save('draft')}>
            Save draft
          </button>
        ) : null}
        {props.timeZone && !props.submitForReview && (!post || isDraft) ? (
          <ComposerSchedule
            id={prefix}
            zone={props.timeZone}
            busy={busy}
            onSchedule={(at) => void save('published', at)}
          />
        ) : null}
        <button type="button" class="button" onClick={() => void showPreview()}>
          Preview
        </button>
        {props.onCancel ? (
          <button
            type="button"
            class="button button--quiet"
            onClick={() => {
              dropDraft(key);
              props.onCancel?.();
            }}
          >
            Discard changes
          </button>
        ) : null}
        <span class="hint">
          Ctrl+Enter to {post && !isDraft ? 'save' : props.submitForReview ? 'submit' : 'publish'}
        </span>
      </div>
      {preview !== null ? (
        <Preview html={preview} readerCss={props.readerCss} onClose={() => setPreview(null)} />
      ) : null}
    </form>
  );
}

async function latest(slug: string, id: string): Promise<DeskPost | null> {
  const { posts } = await api<{ posts: DeskPost[] }>('GET', `/desk/api/pages/${slug}/posts`);
  return posts.find((p) => p.id === id) ?? null;
}

/** The small forms that insert a link, an image, an embed or a video. */
/** The cursor's surroundings that have their own fields. */
function whereIn(e: Editor) {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const image = e.getAttributes('image');
  return {
    quote: e.isActive('blockquote') ? text(e.getAttributes('blockquote').attribution) : null,
    image: e.isActive('image')
      ? {
          src: text(image.src),
          media: text(image.media),
          alt: text(image.alt),
          caption: text(image.caption),
          credit: text(image.credit),
        }
      : null,
  };
}

function InsertPanel(props: {
  kind: Exclude<PanelKind, MediaPanelKind>;
  prefix: string;
  editor: Editor | null;
  close: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  // Before the next key press arrives: a fast typist's first letters must land in the field.
  useLayoutEffect(() => first.current?.focus(), [props.kind]);
  const id = (name: string) => `${props.prefix}-${props.kind}-${name}`;
  const field = (name: string, label: string, required = false, isFirst = false) => (
    <label class="field" for={id(name)}>
      <span class="field__label">
        {label}
        {required ? ' (required)' : ''}
      </span>
      <input
        id={id(name)}
        class="input"
        ref={isFirst ? first : undefined}
        aria-required={required}
        value={values[name] ?? ''}
        onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })}
      />
    </label>
  );
  const v = (name: string) => (values[name] ?? '').trim() || null;

  const apply = () => {
    const e = props.editor;
    if (!e) return;
    if (props.kind === 'link') {
      const href = v('href');
      if (!href || !/^(https?:\/\/|mailto:)\S+$/.test(href)) {
        return setError('A link address starts with https://, http:// or mailto:.');
      }
      e.chain().extendMarkRange('link').setLink({ href }).run();
    } else {
      const src = v('src');
      if (!src || videoKind(src) === null)
        return setError('Give the address of an MP4 (.mp4) or HLS (.m3u8) video.');
      const attrs = { src, poster: v('poster'), caption: v('caption') };
      insertAtom(e, { type: 'video', attrs });
    }
    // close() gives the focus back to the editor at once (see there).
    props.close();
  };

  const titles = {
    link: 'Add a link',
    embed: 'Embed a post',
    video: 'Insert a video',
  };
  return (
    <div
      class="panel"
      role="group"
      aria-label={titles[props.kind]}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          event.stopPropagation();
          apply();
        }
      }}
    >
      <p class="panel__title">{titles[props.kind]}</p>
      {props.kind === 'link' ? field('href', 'Link address', true, true) : null}
      {props.kind === 'video' ? (
        <>
          {field('src', 'Video address (MP4 or HLS)', true, true)}
          {field('poster', 'Poster image address')}
          {field('caption', 'Caption')}
        </>
      ) : null}
      <ErrorNote error={error} />
      <div class="actions">
        <button type="button" class="button button--primary" onClick={apply}>
          {props.kind === 'link' ? 'Apply link' : 'Insert'}
        </button>
        <button type="button" class="button button--quiet" onClick={props.close}>
          Cancel
        </button>
      </div>
    </div>
  );
}
