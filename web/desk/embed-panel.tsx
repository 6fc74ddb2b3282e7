import type { Editor } from '@tiptap/core';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { EmbedBlock } from '../../src/domain/blocks.ts';
import { PROVIDER_LIST, recognise } from '../../src/embeds/providers.ts';
import { api, ApiError } from './api.ts';
import { ErrorNote } from './fields.tsx';
import { insertAtom } from './insert-atom.ts';
import { Preview } from './preview.tsx';

/**
 * "Embed a post": paste a post's address, see the card readers will get (provider, title,
 * author from the provider's oEmbed answer when the server could reach it), then insert it.
 * The server's registry decides what is embeddable (ADR 0021); the desk only asks it.
 */
export function EmbedPanel(props: {
  prefix: string;
  editor: Editor | null;
  readerCss: string;
  close: () => void;
}) {
  const [url, setUrl] = useState('');
  const [found, setFound] = useState<{ block: EmbedBlock; html: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => input.current?.focus(), []);
  const id = `${props.prefix}-embed-url`;

  const lookUp = async () => {
    const address = url.trim();
    setFound(null);
    if (recognise(address) === null) {
      return setError(`Paste the address of one post or video from ${PROVIDER_LIST}.`);
    }
    setError(null);
    setBusy(true);
    try {
      const query = `?url=${encodeURIComponent(address)}`;
      setFound(await api<{ block: EmbedBlock; html: string }>('GET', `/desk/api/embeds${query}`));
    } catch (failure) {
      setError(
        failure instanceof ApiError ? failure.message : 'The address could not be looked up.',
      );
    } finally {
      setBusy(false);
    }
  };

  const insert = () => {
    if (!found || !props.editor) return;
    const { provider, url: address, title, author } = found.block;
    insertAtom(props.editor, {
      type: 'embed',
      attrs: { provider, url: address, title: title ?? null, author: author ?? null },
    });
    props.close();
  };

  return (
    <div
      class="panel"
      role="group"
      aria-label="Embed a post"
      onKeyDown={(event) => {
        if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          event.stopPropagation();
          if (found) insert();
          else void lookUp();
        }
      }}
    >
      <p class="panel__title">Embed a post</p>
      <label class="field" for={id}>
        <span class="field__label">Post address (required)</span>
        <input
          id={id}
          ref={input}
          class="input"
          aria-required
          value={url}
          onInput={(e) => {
            setUrl(e.currentTarget.value);
            setFound(null);
          }}
        />
      </label>
      <ErrorNote error={error} />
      {found ? (
        <Preview html={found.html} readerCss={props.readerCss} title="The card readers will see" />
      ) : null}
      <div class="actions">
        {found ? (
          <button type="button" class="button button--primary" onClick={insert}>
            Insert
          </button>
        ) : (
          <button type="button" class="button button--primary" disabled={busy} onClick={lookUp}>
            {busy ? 'Looking up…' : 'Look up'}
          </button>
        )}
        <button type="button" class="button button--quiet" onClick={props.close}>
          Cancel
        </button>
      </div>
    </div>
  );
}
