import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, type DeskPage, type DeskPost, type User } from './api.ts';
import { ErrorNote } from './fields.tsx';
import { pageTime, ScheduleControl } from './schedule.tsx';

/** The workflow's badge for a post that readers do not see yet. */
export function StatusBadge(props: { post: DeskPost; page: DeskPage }) {
  const { post, page } = props;
  if (post.status === 'draft')
    return <span class="badge badge--draft">{post.reviewNote ? 'Returned' : 'Draft'}</span>;
  if (post.status === 'submitted') return <span class="badge badge--review">In review</span>;
  if (post.status === 'scheduled' && post.scheduledFor)
    return (
      <span class="badge badge--scheduled">
        Scheduled for {pageTime(post.scheduledFor, page.timeZone)}
      </span>
    );
  return null;
}

/** The note an editor returned the post with, for its author (and other editors). */
export function ReturnedNote(props: { post: DeskPost }) {
  if (props.post.status !== 'draft' || !props.post.reviewNote) return null;
  return (
    <p class="notice review-note" role="note">
      <strong>Returned by an editor:</strong> {props.post.reviewNote}
    </p>
  );
}

/**
 * What the person may do with a post in the workflow: submit their draft; approve or return
 * a submission (editors); schedule, reschedule or unschedule (those who may publish here).
 */
export function WorkflowActions(props: {
  page: DeskPage;
  post: DeskPost;
  me: User;
  onChanged: () => void;
}) {
  const { page, post, me } = props;
  const [returning, setReturning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editor = me.role !== 'contributor';
  const own = post.authorId === me.id;
  const mayPublish = editor || (page.reviewMode === 'direct' && own);
  const url = (what: string) => `/api/pages/${page.slug}/posts/${post.id}/${what}`;
  const act = async (what: string, extra: Record<string, unknown> = {}) => {
    try {
      setError(null);
      await api('POST', url(what), { revision: post.revision, ...extra });
      props.onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const hidden = <span class="visually-hidden"> “{post.headline}”</span>;

  return (
    <>
      {post.status === 'draft' && own && !editor && page.reviewMode === 'review' ? (
        <button
          type="button"
          class="button button--small button--primary"
          data-action="submit"
          onClick={() => void act('submit')}
        >
          Submit for review{hidden}
        </button>
      ) : null}
      {post.status === 'submitted' && editor ? (
        <>
          <button
            type="button"
            class="button button--small button--primary"
            data-action="approve"
            onClick={() => void act('approve')}
          >
            Approve and publish{hidden}
          </button>
          {!returning ? (
            <button
              type="button"
              class="button button--small"
              data-action="return"
              onClick={() => setReturning(true)}
            >
              Return…{hidden}
            </button>
          ) : null}
        </>
      ) : null}
      {(mayPublish && ['draft', 'scheduled'].includes(post.status)) ||
      (editor && post.status === 'submitted') ? (
        <ScheduleControl page={page} post={post} onDone={props.onChanged} />
      ) : null}
      {mayPublish && post.status === 'scheduled' ? (
        <button
          type="button"
          class="button button--small"
          data-action="unschedule"
          onClick={() => void act('unschedule')}
        >
          Unschedule{hidden}
        </button>
      ) : null}
      {returning ? (
        <ReturnForm
          onSend={(note) => {
            setReturning(false);
            void act('return', { note });
          }}
          onCancel={() => setReturning(false)}
        />
      ) : null}
      <ErrorNote error={error} />
    </>
  );
}

/** The note a submission goes back with; focus moves to it. */
function ReturnForm(props: { onSend: (note: string) => void; onCancel: () => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => field.current?.focus(), []);
  return (
    <div class="panel" role="group" aria-label="Return to the author">
      <label class="field" for="return-note">
        <span class="field__label">What should the author change? (required)</span>
        <textarea
          id="return-note"
          ref={field}
          class="input"
          rows={3}
          maxLength={2000}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </label>
      <ErrorNote error={error} />
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          onClick={() =>
            note.trim() ? props.onSend(note.trim()) : setError('Say what to change first.')
          }
        >
          Return to author
        </button>
        <button type="button" class="button button--quiet" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
