import { useEffect, useState } from 'preact/hooks';
import type { HistoryJson, StepJson } from '../../src/services/post-history.ts';
import { api, type User } from './api.ts';
import { ErrorNote } from './fields.tsx';
import { bodyText, wordDiff, type DiffPart } from './history-diff.ts';

const ACTION_TEXT: Record<StepJson['action'], string> = {
  created: 'Draft started',
  saved: 'Draft saved',
  submitted: 'Submitted for review',
  returned: 'Returned',
  approved: 'Approved',
  scheduled: 'Scheduled',
  unscheduled: 'Unscheduled',
  published: 'Published',
  edited: 'Edited (silent fix)',
  corrected: 'Corrected',
  unpublished: 'Unpublished',
  pinned: 'Pinned',
  unpinned: 'Unpinned',
  deleted: 'Deleted',
  removed: 'Removed for legal reasons',
  version_removed: 'A version removed for legal reasons',
};

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    day: 'numeric',
    month: 'short',
  });

function Diff({ parts }: { parts: DiffPart[] }) {
  return (
    <span class="diff">
      {parts.map((part, i) =>
        part.kind === 'added' ? (
          <ins key={i}>{part.text}</ins>
        ) : part.kind === 'removed' ? (
          <del key={i}>{part.text}</del>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </span>
  );
}

type Content = NonNullable<StepJson['content']>;

/**
 * A version against the one before it: the headline and the body's text, word by word. The
 * first version is shown as it was.
 */
function VersionDiff({ before, after }: { before: Content | null; after: Content }) {
  if (before === null)
    return (
      <div class="version">
        <p class="version__headline">{after.headline}</p>
        <p class="version__body">{bodyText(after.body)}</p>
      </div>
    );
  return (
    <div class="version">
      <p class="version__headline">
        <Diff parts={wordDiff(before.headline, after.headline)} />
      </p>
      {bodyText(before.body) === bodyText(after.body) ? (
        <p class="version__body muted">Text unchanged.</p>
      ) : (
        <p class="version__body">
          <Diff parts={wordDiff(bodyText(before.body), bodyText(after.body))} />
        </p>
      )}
    </div>
  );
}

function Tombstone({ removal }: { removal: NonNullable<StepJson['removal']> }) {
  return (
    <p class="tombstone" role="note">
      Removed for legal reasons by {removal.byName} at {when(removal.at)}: {removal.reason}
    </p>
  );
}

/** Asks for the reason before a legal removal: the reason is kept for editors. */
export function RemovalForm(props: {
  label: string;
  onRemove: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="removal-form"
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim() === '') return setError('Say why: the reason is kept for editors.');
        props
          .onRemove(reason.trim())
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
      }}
    >
      <label class="field">
        <span>Legal reason (seen by editors only)</span>
        <input
          type="text"
          data-field="removal-reason"
          maxLength={1000}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      <ErrorNote error={error} />
      <button type="submit" class="button button--small button--danger">
        {props.label}
      </button>{' '}
      <button type="button" class="button button--small" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}

/**
 * A post's history for the desk: every step with who and when, each version's diff against
 * the one before, correction notes and legal-removal tombstones; editors may remove the text
 * of an earlier version. Readers never see any of it.
 */
export function PostHistory(props: {
  slug: string;
  postId: string;
  me: User;
  onClose: () => void;
}) {
  const { slug, postId } = props;
  const [history, setHistory] = useState<HistoryJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const load = () =>
    api<HistoryJson>('GET', `/desk/api/pages/${slug}/posts/${postId}/history`)
      .then(setHistory)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  useEffect(() => void load(), [slug, postId]);
  const mayRemove = props.me.role !== 'contributor';

  let previous: Content | null = null;
  const rows = (history?.steps ?? []).map((step) => {
    const before = previous;
    if (step.content) previous = step.content;
    const earlier = history !== null && step.revision !== history.post.revision;
    return (
      <li key={step.id} class="history__step" data-action={step.action}>
        <p class="history__meta">
          <strong>{ACTION_TEXT[step.action]}</strong> by {step.actor.name}{' '}
          <time dateTime={step.at}>{when(step.at)}</time> · revision {step.revision}
          {step.fields.length > 0 ? ` · ${step.fields.join(', ')}` : ''}
        </p>
        {step.note ? (
          <p class={step.action === 'corrected' ? 'history__correction' : 'history__note'}>
            {step.action === 'corrected' ? 'Correction: ' : ''}
            {step.note}
          </p>
        ) : null}
        {step.content ? <VersionDiff before={before} after={step.content} /> : null}
        {step.removal ? <Tombstone removal={step.removal} /> : null}
        {mayRemove && step.content && earlier && removing !== step.id ? (
          <button
            type="button"
            class="button button--small button--danger"
            data-action="remove-version"
            onClick={() => setRemoving(step.id)}
          >
            Remove this version
          </button>
        ) : null}
        {removing === step.id ? (
          <RemovalForm
            label="Remove this version"
            onCancel={() => setRemoving(null)}
            onRemove={async (reason) => {
              await api('POST', `/api/pages/${slug}/posts/${postId}/history/${step.id}/removal`, {
                reason,
              });
              setRemoving(null);
              await load();
            }}
          />
        ) : null}
      </li>
    );
  });

  return (
    <section class="history" aria-label="Post history">
      <p class="history__title">
        History{' '}
        <button type="button" class="button button--small button--quiet" onClick={props.onClose}>
          Close history
        </button>
      </p>
      <ErrorNote error={error} />
      {history?.post.removal ? <Tombstone removal={history.post.removal} /> : null}
      {history && history.steps.length === 0 ? (
        <p class="muted">No history: this post was imported.</p>
      ) : null}
      <ol class="history__steps">{rows}</ol>
    </section>
  );
}
