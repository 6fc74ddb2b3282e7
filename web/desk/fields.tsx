/** Small form pieces every desk screen uses, so they look and speak the same everywhere. */

/** A refusal or failure, announced by screen readers when it appears; nothing when null. */
export function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

/** A labelled text input bound to a value. */
export function TextField(props: {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  required?: boolean;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <label class="field" for={props.id}>
      <span class="field__label">{props.label}</span>
      <input
        id={props.id}
        class="input"
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        required={props.required}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}
