/**
 * The embed view's script: the reader's live updater (the same event stream and rendering
 * as the live page) and the frame's height, posted to the page that frames it so its resize
 * script (host.ts) can fit the frame to the content. Without that script nothing listens.
 */
import '../reader/live.ts';
import { ASK, HEIGHT, type HeightMessage } from './messages.ts';

function reportHeights(): void {
  if (window.parent === window) return;
  const content = document.getElementById('widget');
  if (!content) return;
  let last = -1;
  const report = (force = false) => {
    const style = window.getComputedStyle(document.body);
    const height = Math.ceil(
      content.getBoundingClientRect().height +
        parseFloat(style.marginTop) +
        parseFloat(style.marginBottom),
    );
    if (height === last && !force) return;
    last = height;
    const message: HeightMessage = { type: HEIGHT, height };
    window.parent.postMessage(message, '*');
  };
  new ResizeObserver(() => report()).observe(content);
  window.addEventListener('message', (event) => {
    if (event.source === window.parent && (event.data as { type?: unknown })?.type === ASK) {
      report(true);
    }
  });
  report();
}

reportHeights();
