import { useState } from 'preact/hooks';
import type { Contributor } from '../../src/domain/post.ts';

export interface Person {
  id: string;
  name: string;
  bylineRole: string | null;
}

/**
 * The bylines of a post: chosen from the newsroom's people (name + byline role), or typed
 * freely for a guest.
 */
export function Bylines(props: {
  id: string;
  people: Person[];
  value: Contributor[];
  onChange: (value: Contributor[]) => void;
}) {
  const [guestName, setGuestName] = useState('');
  const [guestRole, setGuestRole] = useState('');
  const { id, value, onChange } = props;
  const add = (c: Contributor) => {
    if (!value.some((v) => v.name === c.name && v.role === c.role)) onChange([...value, c]);
  };
  return (
    <fieldset class="bylines">
      <legend class="field__label">Bylines</legend>
      {value.length > 0 ? (
        <ul class="chips">
          {value.map((c, i) => (
            <li key={`${c.name}|${c.role ?? ''}`} class="chip">
              {c.name}
              {c.role ? `, ${c.role}` : ''}
              <button
                type="button"
                class="chip__remove"
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                <span aria-hidden="true">×</span>
                <span class="visually-hidden">Remove {c.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="row">
        <label class="field" for={`${id}-person`}>
          <span class="field__label">From the newsroom</span>
          <select
            id={`${id}-person`}
            class="input"
            value=""
            onChange={(e) => {
              const person = props.people.find((p) => p.id === e.currentTarget.value);
              if (person) {
                add({ name: person.name, ...(person.bylineRole && { role: person.bylineRole }) });
              }
              e.currentTarget.value = '';
            }}
          >
            <option value="">Add a byline…</option>
            {props.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.bylineRole ? ` (${p.bylineRole})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label class="field" for={`${id}-guest-name`}>
          <span class="field__label">Guest name</span>
          <input
            id={`${id}-guest-name`}
            class="input"
            value={guestName}
            onInput={(e) => setGuestName(e.currentTarget.value)}
          />
        </label>
        <label class="field" for={`${id}-guest-role`}>
          <span class="field__label">Guest role</span>
          <input
            id={`${id}-guest-role`}
            class="input"
            value={guestRole}
            onInput={(e) => setGuestRole(e.currentTarget.value)}
          />
        </label>
        <button
          type="button"
          class="button"
          onClick={() => {
            if (!guestName.trim()) return;
            add({ name: guestName.trim(), ...(guestRole.trim() && { role: guestRole.trim() }) });
            setGuestName('');
            setGuestRole('');
          }}
        >
          Add guest
        </button>
      </div>
    </fieldset>
  );
}
