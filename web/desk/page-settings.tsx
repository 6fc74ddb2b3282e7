import { useState } from 'preact/hooks';
import { api, type DeskPage, type KeyPoint, type LeadMedia } from './api.ts';
import { previewSrc } from './media-nodes.ts';
import { imageFiles, pictureDraft, uploadPicture } from './media-upload.ts';
import { FilePreview, PictureDropzone } from './picture-picker.tsx';
import { PageStartFields } from './schedule.tsx';

const STATUSES: { value: DeskPage['status']; name: string; notice: string }[] = [
  { value: 'live', name: 'Live', notice: 'Readers see new posts as they are published.' },
  { value: 'paused', name: 'Paused', notice: 'Readers are told coverage is paused.' },
  { value: 'ended', name: 'Ended', notice: 'Readers are told the live coverage has ended.' },
];

/**
 * A page's settings: title, description, time zone, status, the Summary key points
 * (add, edit, reorder, remove) and the lead media. Saved at the revision it was read at.
 */
export function PageSettings(props: { page: DeskPage; onSaved: (page: DeskPage) => void }) {
  const { page } = props;
  const [title, setTitle] = useState(page.title);
  const [description, setDescription] = useState(page.description);
  const [timeZone, setTimeZone] = useState(page.timeZone);
  const [status, setStatus] = useState(page.status);
  const [points, setPoints] = useState<KeyPoint[]>(page.summary);
  const [media, setMedia] = useState<LeadMedia | null>(page.leadMedia);
  const [reviewMode, setReviewMode] = useState(page.reviewMode);
  const [startsAt, setStartsAt] = useState(page.scheduledFor);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // A lead picture chosen, dropped or pasted: uploaded when the settings are saved.
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);

  const move = (i: number, by: number) => {
    const next = [...points];
    const [point] = next.splice(i, 1);
    next.splice(i + by, 0, point!);
    setPoints(next);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const picture = media?.kind === 'image' ? file : null;
    if ((picture || media?.media) && !media?.alt?.trim()) {
      setMessage({
        ok: false,
        text: 'Describe the lead picture in its alt text: readers who cannot see it rely on it.',
      });
      return;
    }
    setBusy(true);
    try {
      let lead = media && withoutEmpty(media);
      if (picture && lead) {
        const draft = pictureDraft(picture, {
          alt: lead.alt ?? '',
          caption: lead.caption,
          credit: lead.credit ?? '',
        });
        const uploaded = await uploadPicture({ ...draft, file: picture });
        const { src: _remote, ...rest } = lead;
        lead = { ...rest, media: uploaded.id, width: uploaded.width, height: uploaded.height };
      }
      const saved = await api<DeskPage>('PATCH', `/api/pages/${page.slug}`, {
        revision: page.revision,
        title,
        description,
        timeZone,
        status,
        summary: points.filter((p) => p.text.trim() !== ''),
        leadMedia: lead,
        reviewMode,
        ...(status === 'scheduled' && { scheduledFor: startsAt }),
      });
      setFile(null);
      setMedia(saved.leadMedia);
      setMessage({ ok: true, text: 'Settings saved.' });
      props.onSaved(saved);
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const mediaField = (name: keyof LeadMedia, label: string) => (
    <label class="field" for={`media-${name}`}>
      <span class="field__label">{label}</span>
      <input
        id={`media-${name}`}
        class="input"
        value={media?.[name] ?? ''}
        onInput={(e) =>
          setMedia({ kind: 'image', caption: '', ...media, [name]: e.currentTarget.value })
        }
      />
    </label>
  );

  return (
    <form class="settings" onSubmit={(e) => void save(e)} aria-labelledby="settings-title">
      <h2 id="settings-title">Page settings</h2>
      <label class="field" for="page-title">
        <span class="field__label">Title</span>
        <input
          id="page-title"
          class="input"
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
      </label>
      <label class="field" for="page-description">
        <span class="field__label">Description</span>
        <textarea
          id="page-description"
          class="input"
          rows={2}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </label>
      <p class="field">
        <span class="field__label">Address</span>
        <code>/live/{page.slug}</code>
      </p>
      <label class="field" for="page-timezone">
        <span class="field__label">Time zone (IANA, e.g. Europe/London)</span>
        <input
          id="page-timezone"
          class="input"
          value={timeZone}
          onInput={(e) => setTimeZone(e.currentTarget.value)}
        />
      </label>
      <fieldset class="field">
        <legend class="field__label">Status</legend>
        {STATUSES.map((s) => (
          <label key={s.value} class="radio">
            <input
              type="radio"
              name="status"
              value={s.value}
              checked={status === s.value}
              onChange={() => setStatus(s.value)}
            />
            <strong>{s.name}</strong> <span class="muted">{s.notice}</span>
          </label>
        ))}
      </fieldset>
      {status === 'scheduled' ? (
        <PageStartFields zone={timeZone} value={startsAt} onChange={setStartsAt} />
      ) : null}
      <fieldset class="field">
        <legend class="field__label">Contributors' posts</legend>
        {(
          [
            ['direct', 'Publish directly', 'Contributors publish their own posts.'],
            ['review', 'Go to review', 'An editor approves each contributor post first.'],
          ] as const
        ).map(([value, name, notice]) => (
          <label key={value} class="radio">
            <input
              type="radio"
              name="review-mode"
              value={value}
              checked={reviewMode === value}
              onChange={() => setReviewMode(value)}
            />
            <strong>{name}</strong> <span class="muted">{notice}</span>
          </label>
        ))}
      </fieldset>
      <fieldset class="field">
        <legend class="field__label">Summary key points</legend>
        <ol class="key-points">
          {points.map((point, i) => (
            <li key={i} class="key-point">
              <label class="visually-hidden" for={`point-${i}`}>
                Key point {i + 1}
              </label>
              <input
                id={`point-${i}`}
                class="input"
                value={point.text}
                onInput={(e) =>
                  setPoints(points.map((p, j) => (j === i ? { text: e.currentTarget.value } : p)))
                }
              />
              <button
                type="button"
                class="button button--small"
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                Up<span class="visually-hidden"> key point {i + 1}</span>
              </button>
              <button
                type="button"
                class="button button--small"
                disabled={i === points.length - 1}
                onClick={() => move(i, 1)}
              >
                Down<span class="visually-hidden"> key point {i + 1}</span>
              </button>
              <button
                type="button"
                class="button button--small button--danger"
                onClick={() => setPoints(points.filter((_, j) => j !== i))}
              >
                Remove<span class="visually-hidden"> key point {i + 1}</span>
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          class="button button--small"
          onClick={() => setPoints([...points, { text: '' }])}
        >
          Add a key point
        </button>
      </fieldset>
      <fieldset
        class="field"
        onPaste={(event) => {
          const [pasted] = imageFiles(event.clipboardData?.files);
          if (!pasted || media?.kind !== 'image') return;
          event.preventDefault();
          setFile(pasted);
        }}
      >
        <legend class="field__label">Lead media</legend>
        <label class="field" for="media-kind">
          <span class="field__label">Kind</span>
          <select
            id="media-kind"
            class="input"
            value={media ? media.kind : 'none'}
            onChange={(e) => {
              const kind = e.currentTarget.value;
              setMedia(
                kind === 'none' ? null : { caption: '', ...media, kind: kind as LeadMedia['kind'] },
              );
            }}
          >
            <option value="none">None</option>
            <option value="image">Image</option>
            <option value="video">Video</option>
          </select>
        </label>
        {media?.kind === 'image' ? (
          <LeadPicture
            media={media}
            file={file}
            onFile={(chosen) => {
              setFile(chosen);
              setMessage(null);
            }}
            onRemove={() => {
              setFile(null);
              const { media: _id, width: _w, height: _h, ...rest } = media;
              setMedia(rest);
            }}
          />
        ) : null}
        {media ? (
          <>
            {media.kind === 'image' && (file || media.media)
              ? null
              : mediaField(
                  'src',
                  media.kind === 'image' ? 'Or the address of a picture on the web' : 'Address',
                )}
            {mediaField('alt', media.kind === 'image' ? 'Alt text (required)' : 'Alt text')}
            {mediaField('caption', 'Caption')}
            {mediaField('credit', 'Credit')}
            {media.kind === 'video' ? mediaField('poster', 'Poster image address') : null}
          </>
        ) : null}
      </fieldset>
      {message ? (
        <p class={message.ok ? 'notice' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

/**
 * The lead picture's file (ADR 0020): the uploaded one's preview, or the one chosen, dropped
 * or pasted (uploaded on save, with the alt text, caption and credit below), and the picker.
 */
function LeadPicture(props: {
  media: LeadMedia;
  file: File | null;
  onFile: (file: File) => void;
  onRemove: () => void;
}) {
  const uploaded = props.media.media ? previewSrc(props.media) : null;
  return (
    <div class="lead-picture">
      {props.file ? (
        <FilePreview file={props.file} />
      ) : uploaded ? (
        <img class="picture-draft__preview" src={uploaded} alt="" />
      ) : null}
      <PictureDropzone
        prefix="lead-picture"
        onFiles={([chosen]) => chosen && props.onFile(chosen)}
      />
      {props.file || uploaded ? (
        <button type="button" class="button button--quiet button--small" onClick={props.onRemove}>
          Remove the picture
        </button>
      ) : null}
    </div>
  );
}

/**
 * Optional fields left empty are absent, not empty strings (an empty address is invalid). An
 * uploaded picture keeps its content id and size, and needs no address.
 */
function withoutEmpty(media: LeadMedia): LeadMedia {
  const out: LeadMedia = { kind: media.kind, caption: media.caption };
  const uploaded = media.kind === 'image' && media.media !== undefined;
  if (media.src && !uploaded) out.src = media.src;
  if (media.alt) out.alt = media.alt;
  if (media.credit) out.credit = media.credit;
  if (media.poster && media.kind === 'video') out.poster = media.poster;
  if (uploaded) {
    out.media = media.media;
    if (media.width) out.width = media.width;
    if (media.height) out.height = media.height;
  }
  return out;
}
