import { useState } from 'preact/hooks';
import { onPageClock, utcToZoned, zonedToUtc, zoneName } from '../../src/domain/zoned-time.ts';
import { api, type DeskPage, type DeskPost } from './api.ts';
import { ErrorNote } from './fields.tsx';

/** "09:00 Greenwich Mean Time, 20 Mar": an instant on the page's wall clock. */
export function pageTime(iso: string, zone: string): string {
  return onPageClock(iso, zone, 'short');
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
      <WallClockFields id={id} date={date} time={time} setDate={setDate} setTime={setTime} />
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

/** A date and a time on a page's wall clock (the zone is named by whoever shows these). */
export function WallClockFields(props: {
  id: string;
  date: string;
  time: string;
  setDate: (date: string) => void;
  setTime: (time: string) => void;
}) {
  return (
    <>
      <label class="field field--inline" for={`${props.id}-date`}>
        <span class="field__label">Date</span>
        <input
          id={`${props.id}-date`}
          type="date"
          class="input"
          value={props.date}
          onInput={(e) => props.setDate(e.currentTarget.value)}
        />
      </label>
      <label class="field field--inline" for={`${props.id}-time`}>
        <span class="field__label">Time</span>
        <input
          id={`${props.id}-time`}
          type="time"
          class="input"
          value={props.time}
          onInput={(e) => props.setTime(e.currentTarget.value)}
        />
      </label>
    </>
  );
}

/**
 * When a scheduled page goes live by itself, on its own clock: the page settings' field.
 * Gives the instant (or null for "no time": an editor makes it live by hand).
 */
export function PageStartFields(props: {
  zone: string;
  value: string | null;
  onChange: (at: string | null) => void;
}) {
  // The zone field may hold a half-typed name: read the clock as UTC until it is a zone.
  const zone = knownZone(props.zone);
  const start = props.value ? utcToZoned(props.value, zone) : { date: '', time: '' };
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const change = (d: string, t: string) => {
    setDate(d);
    setTime(t);
    props.onChange(d && t ? zonedToUtc(d, t, zone) : null);
  };
  const at = zonedToUtc(date, time, zone);
  return (
    <fieldset class="field">
      <legend class="field__label">
        Goes live by itself at ({zoneName(at ?? new Date().toISOString(), zone)})
      </legend>
      <WallClockFields
        id="page-start"
        date={date}
        time={time}
        setDate={(d) => change(d, time)}
        setTime={(t) => change(date, t)}
      />
    </fieldset>
  );
}

function knownZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

/** The composer's "Schedule…": the post being written publishes itself at a time. */
export function ComposerSchedule(props: {
  id: string;
  zone: string;
  busy: boolean;
  onSchedule: (at: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const start = utcToZoned(new Date(Date.now() + 3_600_000).toISOString(), props.zone);
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const at = zonedToUtc(date, time, props.zone);
  if (!open) {
    return (
      <button
        type="button"
        class="button"
        data-action="compose-schedule"
        onClick={() => setOpen(true)}
      >
        Schedule…
      </button>
    );
  }
  return (
    <div
      class="panel"
      role="group"
      aria-label="Schedule this post"
      onKeyDown={(event) => {
        // Enter in the date or time field schedules; it must never submit (publish) the form.
        if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          event.stopPropagation();
          if (at && !props.busy) props.onSchedule(at);
        }
      }}
    >
      <p class="panel__title">
        Publish at, on the page's clock ({zoneName(at ?? new Date().toISOString(), props.zone)})
      </p>
      <WallClockFields
        id={`${props.id}-schedule`}
        date={date}
        time={time}
        setDate={setDate}
        setTime={setTime}
      />
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          disabled={props.busy || !at}
          onClick={() => at && props.onSchedule(at)}
        >
          Schedule
        </button>
        <button type="button" class="button button--quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
