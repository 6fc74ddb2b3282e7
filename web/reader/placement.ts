/**
 * Where articles go in the stream, and how the stream changes without moving what the
 * reader is looking at.
 */

/** How far past the top of the stream a reader may be and still count as "at the top". */
const TOP_TOLERANCE_PX = 80;

/** True when the reader is at (or above) the top of the stream. */
export function isAtTop(stream: HTMLElement): boolean {
  return stream.getBoundingClientRect().top >= -TOP_TOLERANCE_PX;
}

/** Pinned posts first, then newest first: true when `a` belongs above `b`. */
function comesBefore(a: HTMLElement, b: HTMLElement): boolean {
  const aPinned = a.dataset.pinned === 'true';
  if (aPinned !== (b.dataset.pinned === 'true')) return aPinned;
  // ISO instants of one format (the server normalises them) sort as strings.
  return (a.dataset.publishedAt ?? '') > (b.dataset.publishedAt ?? '');
}

/** The article that `article` should be inserted before, or null for the end. */
export function insertionPoint(posts: HTMLElement, article: HTMLElement): Element | null {
  for (const child of Array.from(posts.children)) {
    if (child !== article && comesBefore(article, child as HTMLElement)) return child;
  }
  return null;
}

/**
 * Run a change to the page while keeping the first article in view where it is on screen:
 * if content above it grows or shrinks, scroll by the difference. Measured by id, so an
 * anchor replaced by its own new version still counts. Browsers with native scroll anchoring
 * will already have done it, and the difference is then zero.
 */
export function keepInView(posts: HTMLElement, change: () => void, moving?: Element): void {
  let anchorId = '';
  let anchorTop = 0;
  for (const child of Array.from(posts.children)) {
    if (child === moving || !child.id) continue;
    const box = child.getBoundingClientRect();
    if (box.bottom > 0) {
      anchorId = child.id;
      anchorTop = box.top;
      break;
    }
  }
  change();
  const anchor = anchorId ? document.getElementById(anchorId) : null;
  if (anchor) {
    const shift = anchor.getBoundingClientRect().top - anchorTop;
    if (shift !== 0) window.scrollBy(0, shift);
  }
}
