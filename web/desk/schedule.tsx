import { useState } from 'preact/hooks';
import { utcToZoned, zonedToUtc, zoneName } from '../../src/domain/zoned-time.ts';
import { api, type DeskPage, type DeskPost } from './api.ts';
import { ErrorNote } from './fields.tsx';

/** "09:00 Greenwich Mean Time, 20 Mar": an instant on the page's wall clock. */
export function pageTime(iso: string, zone: string): string {
  const { date, time } = utcToZoned(iso, zone);
  const day = new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  return `${time} ${zoneName(iso, zone)}, ${day}`;
}

/**
 * "Schedule…": a date and a time on the page's own clock (its time zone, named), turned into
 * an instant with Intl, whatever zone the journalist's computer is in.
 */
export function ScheduleControl(props: { page: DeskPage; post: DeskPost; onDone: () => void }) {
  const { page, post } = props;
  const [open, setOpen] = useState(false);
  const start = utcToZoned(
    post.scheduledFor ?? new Date(Date.now() + 3_600_000).toISOString(),
    page.timeZone,
  );
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const [error, setError] = useState<string | null>(null);
  const id = `schedule-${post.id}`;
  const at = zonedToUtc(date, time, page.timeZone);

  const submit = async () => {
    if (!at) return setError('Give a date and a time.');
    try {
      await api('POST', `/api/pages/${page.slug}/posts/${post.id}/schedule`, {
        revision: post.revision,
        at,
      });
      setOpen(false);
      props.onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  if (!open) {
    return (
      <button
        type="button"
        class="button button--small"
        data-action="schedule"
        onClick={() => setOpen(true)}
      >
        {post.status === 'scheduled' ? 'Reschedule…' : 'Schedule…'}
        <span class="visually-hidden"> “{post.headline}”</span>
      </button>
    );
  }
  return (
    <div class="panel" role="group" aria-label="Schedule the post">
      <p class="panel__title">
        Publish at, on the page's clock ({zoneName(at ?? new Date().toISOString(), page.timeZone)})
      </p>
      <label class="field field--inline" for={`${id}-date`}>
        <span class="field__label">Date</span>
        <input
          id={`${id}-date`}
          type="date"
          class="input"
          value={date}
          onInput={(e) => setDate(e.currentTarget.value)}
        />
      </label>
      <label class="field field--inline" for={`${id}-time`}>
        <span class="field__label">Time</span>
        <input
          id={`${id}-time`}
          type="time"
          class="input"
          value={time}
          onInput={(e) => setTime(e.currentTarget.value)}
        />
      </label>
      <ErrorNote error={error} />
      <div class="actions">
        <button type="button" class="button button--primary" onClick={() => void submit()}>
          Schedule
        </button>
        <button type="button" class="button button--quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
