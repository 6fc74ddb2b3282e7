import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';

/**
 * "Embed on another site": the snippet a partner pastes (the embed view's frame and the
 * optional resize script), as the site's oEmbed endpoint hands it out, with a copy button.
 */
export function WidgetSnippet({ slug }: { slug: string }) {
  const [snippet, setSnippet] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const pageUrl = `${window.location.origin}/live/${encodeURIComponent(slug)}`;

  useEffect(() => {
    setSnippet(null);
    api<{ html: string }>('GET', `/oembed?url=${encodeURIComponent(pageUrl)}&format=json`).then(
      (answer) => setSnippet(answer.html),
      (err: unknown) => setStatus(err instanceof Error ? err.message : String(err)),
    );
  }, [pageUrl]);

  const copy = async () => {
    if (!snippet) return;
    try {
      await navigator.clipboard.writeText(snippet);
      setStatus('Snippet copied.');
    } catch {
      // No clipboard (an old browser, a refused permission): select it for Ctrl+C.
      const field = document.getElementById('widget-snippet');
      if (field instanceof HTMLTextAreaElement) field.select();
      setStatus('Press Ctrl+C (Cmd+C) to copy the selected snippet.');
    }
  };

  return (
    <section class="settings widget-snippet" aria-labelledby="widget-snippet-title">
      <h2 id="widget-snippet-title">Embed on another site</h2>
      <p class="muted">
        Partners paste this snippet where the live page should appear: the frame shows the newest
        posts live and works on its own; the script makes it as tall as its content. Sites that
        speak oEmbed only need the page's address.
      </p>
      <label class="field" for="widget-snippet">
        <span class="field__label">Snippet</span>
        <textarea
          id="widget-snippet"
          class="input"
          rows={4}
          readOnly
          value={snippet ?? 'Loading…'}
        />
      </label>
      <p>
        <button
          type="button"
          class="button"
          disabled={snippet === null}
          onClick={() => void copy()}
        >
          Copy snippet
        </button>{' '}
        <a href={`/live/${encodeURIComponent(slug)}/embed`} target="_blank" rel="noopener">
          Preview the widget
        </a>
      </p>
      <p role="status" class="muted">
        {status}
      </p>
    </section>
  );
}
