import type { Inline, LinkRun, TextRun } from '../domain/blocks.ts';
import { safeLinkHref } from './urls.ts';

/** Bold and italic wrap the text; Preact escapes it. */
function Text({ run }: { run: TextRun }) {
  let node = <>{run.text}</>;
  if (run.italic) node = <em>{node}</em>;
  if (run.bold) node = <strong>{node}</strong>;
  return node;
}

/**
 * A link. External links say so in words, as the BBC does (", external"), which serves
 * sighted and screen-reader users alike. An href that is not http(s)/mailto is dropped and
 * the words stay as plain text.
 */
function Link({ run }: { run: LinkRun }) {
  const href = safeLinkHref(run.href);
  if (href === null) return <span class="link-inert">{run.text}</span>;
  if (!run.external) return <a href={href}>{run.text}</a>;
  return (
    <a href={href} class="link-external" rel="noopener noreferrer">
      {run.text}
      <span class="link-external__mark">, external</span>
    </a>
  );
}

/** A run of inline text: plain, bold, italic and links. */
export function InlineRuns({ runs }: { runs: readonly Inline[] }) {
  return (
    <>
      {runs.map((run, index) =>
        run.type === 'link' ? <Link key={index} run={run} /> : <Text key={index} run={run} />,
      )}
    </>
  );
}
