/**
 * Click-to-load embeds (ADR 0021). The server renders each embed as a card whose "Load"
 * button is hidden; this script shows the buttons (a class on <html>, so it also holds for
 * posts that arrive live) and, on a click, replaces the button with the provider's player in
 * a sandboxed frame. Until then nothing is requested from the provider. Every attribute of
 * the frame comes from the card, which the server built from its provider registry; the
 * page's CSP frame-src admits only those players.
 */
export function enableEmbeds(root: Document): void {
  root.documentElement.classList.add('embeds-on');
  root.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('.embed__load') : null;
    const card = button?.closest<HTMLElement>('.embed[data-embed-src]');
    const consent = button?.parentElement;
    if (!card || !consent) return;
    const data = card.dataset;
    const frame = root.createElement('iframe');
    frame.className = `embed__frame embed__frame--${data.embedShape ?? 'post'}`;
    frame.setAttribute('sandbox', data.embedSandbox ?? '');
    frame.allow = data.embedAllow ?? '';
    frame.referrerPolicy = 'strict-origin-when-cross-origin';
    frame.title = data.embedTitle ?? '';
    frame.src = data.embedSrc ?? '';
    card.classList.add('embed--loaded');
    consent.replaceWith(frame);
    frame.focus();
  });
}
