import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { bodyToDoc, docToBody } from './body-mapping.ts';
import type { ConflictInfo } from './composer.tsx';
import type { Composition } from './drafts.ts';
import { mergeEdits, type Mergeable } from './merge.ts';
import { Preview } from './preview.tsx';
import { ErrorNote } from './fields.tsx';

async function render(slug: string, post: Mergeable, publishedAt: string) {
  const { html } = await api<{ html: string }>('POST', '/desk/api/preview', {
    slug,
    post: {
      headline: post.headline || 'Headline',
      body: post.body,
      labels: post.labels,
      contributors: post.contributors,
      publishedAt,
    },
  });
  return html;
}

/**
 * A stale save: a colleague saved this post since the writer began. Both versions are shown
 * side by side, rendered as readers would see them; the writer may reapply their change on
 * top of the newer version (a three-way merge, then saved at the current revision) or take
 * theirs. The writer's text stays in this browser until one of those is saved.
 */
export function ConflictView(props: {
  slug: string;
  conflict: ConflictInfo;
  readerCss: string;
  onReapply: (composition: Composition, clashes: string[]) => void;
  onTakeTheirs: () => void;
}) {
  const { slug, conflict } = props;
  const mapped = docToBody(conflict.mine.doc, location.origin);
  const mineBody = mapped.ok ? mapped.value : [];
  const mine = { ...conflict.mine, body: mineBody };
  const [html, setHtml] = useState<{ theirs: string; mine: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([
      render(slug, conflict.theirs, conflict.theirs.publishedAt),
      render(slug, mine, conflict.theirs.publishedAt),
    ])
      .then(([theirs, m]) => setHtml({ theirs, mine: m }))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [conflict]);

  const reapply = () => {
    const base = conflict.mine.base ?? conflict.theirs;
    const merged = mergeEdits<Mergeable>(base, conflict.theirs, mine);
    props.onReapply(
      {
        ...conflict.mine,
        headline: merged.value.headline,
        labels: [...merged.value.labels] as Composition['labels'],
        contributors: [...merged.value.contributors],
        doc: bodyToDoc(merged.value.body),
        base: conflict.theirs,
      },
      merged.clashes,
    );
  };

  return (
    <section class="conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone saved this post while you were editing</h2>
      <p>
        Their version is now revision {conflict.theirs.revision}. Your text is kept in this browser.
        Reapply your changes on top of theirs, check the result, and save again.
      </p>
      <ErrorNote error={error} />
      <div class="conflict__sides">
        <div class="conflict__side">
          {html ? (
            <Preview html={html.theirs} readerCss={props.readerCss} title="Their version (saved)" />
          ) : (
            <p>Loading…</p>
          )}
        </div>
        <div class="conflict__side">
          {html ? (
            <Preview
              html={html.mine}
              readerCss={props.readerCss}
              title="Your version (not saved)"
            />
          ) : (
            <p>Loading…</p>
          )}
        </div>
      </div>
      <div class="actions">
        <button type="button" class="button button--primary" onClick={reapply}>
          Reapply my changes on theirs
        </button>
        <button type="button" class="button button--quiet" onClick={props.onTakeTheirs}>
          Discard mine, keep theirs
        </button>
      </div>
    </section>
  );
}
