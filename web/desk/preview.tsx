/**
 * A post exactly as readers will see it: the server's own rendering (the reader's
 * renderPostArticle) inside a frame that loads only the reader's stylesheet, so the desk's
 * styles cannot change how it looks.
 */
export function Preview(props: {
  html: string;
  readerCss: string;
  onClose?: () => void;
  title?: string;
}) {
  const doc = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><link rel="stylesheet" href="${props.readerCss}"></head><body><main class="main"><div class="stream__posts">${props.html}</div></main></body></html>`;
  return (
    <section class="preview" aria-label={props.title ?? 'Preview'}>
      <div class="preview__bar">
        <h3 class="preview__title">{props.title ?? 'Preview: as readers will see it'}</h3>
        {props.onClose ? (
          <button type="button" class="button button--quiet" onClick={props.onClose}>
            Close preview
          </button>
        ) : null}
      </div>
      <iframe class="preview__frame" title={props.title ?? 'Preview of the post'} srcdoc={doc} />
    </section>
  );
}
