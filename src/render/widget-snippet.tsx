import { renderFragment } from './html.ts';

export interface WidgetSnippetInput {
  /** The absolute address of the embed view. */
  src: string;
  /** What the frame is, for screen readers ("Election night: live coverage"). */
  title: string;
  width: number;
  height: number;
  /** The absolute address of the optional resize script (`/widget.js`). */
  scriptSrc: string;
}

/**
 * The HTML a partner pastes, and oEmbed's `html`: an `<iframe>` of the embed view, which
 * works alone, and the small script that makes the frame as tall as its content. Rendered
 * by Preact like every other HTML, so a title never escapes its attribute.
 */
export function renderWidgetSnippet(input: WidgetSnippetInput): string {
  return renderFragment(
    <>
      <iframe
        src={input.src}
        title={input.title}
        width={String(input.width)}
        height={String(input.height)}
        style="border:0;max-width:100%"
        loading="lazy"
        data-liveline-widget=""
      ></iframe>
      <script async src={input.scriptSrc}></script>
    </>,
  );
}
