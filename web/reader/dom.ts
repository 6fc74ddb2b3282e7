/** Small DOM helpers for the live script. */

/** The element with this id, or null. */
export const byId = (id: string): HTMLElement | null => document.getElementById(id);

/** The first element of a server-rendered HTML fragment (trusted: escaped by construction). */
export function parseFragment(html: string): HTMLElement | null {
  const template = document.createElement('template');
  template.innerHTML = html.trim();
  return template.content.firstElementChild as HTMLElement | null;
}

/**
 * Replace an element's content with a fragment, but only when it differs, so an unchanged
 * lead video keeps playing when the editor touches the summary.
 */
export function setContent(slot: HTMLElement | null, html: string): void {
  if (!slot) return;
  const template = document.createElement('template');
  template.innerHTML = html.trim();
  if (template.innerHTML !== slot.innerHTML) slot.replaceChildren(template.content);
}

/** True when the reader asked the system for less motion. */
export const reducedMotion = (): boolean =>
  window.matchMedia('(prefers-reduced-motion: reduce)').matches;
