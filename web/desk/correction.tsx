/**
 * "This is a correction": an edit of a published post is a silent fix unless the editor ticks
 * this and writes the public note, shown on the post with its time (docs/corrections.md).
 * `note` is null for a silent fix.
 */
export function CorrectionField(props: {
  prefix: string;
  note: string | null;
  onChange: (note: string | null) => void;
}) {
  const id = `${props.prefix}-correction`;
  return (
    <fieldset class="correction-field">
      <label class="check" for={id}>
        <input
          id={id}
          type="checkbox"
          data-field="is-correction"
          checked={props.note !== null}
          onChange={(e) => props.onChange(e.currentTarget.checked ? '' : null)}
        />{' '}
        This is a correction (readers see a note)
      </label>
      {props.note !== null ? (
        <label class="field" for={`${id}-note`}>
          <span>Correction note, shown to readers with its time</span>
          <textarea
            id={`${id}-note`}
            data-field="correction-note"
            maxLength={500}
            rows={2}
            required
            value={props.note}
            placeholder="The figure was 2,400, not 24,000."
            onInput={(e) => props.onChange(e.currentTarget.value)}
          />
        </label>
      ) : (
        <p class="hint">Unticked, the edit is a silent fix (a typo): readers see no marker.</p>
      )}
    </fieldset>
  );
}
