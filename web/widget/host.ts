/**
 * The partner page's resize script (/widget.js, optional): makes each Liveline widget frame
 * (`iframe[data-liveline-widget]`) as tall as its content. It believes only messages from the
 * origin it was loaded from, and only from one of those frames.
 */
import { ASK, HEIGHT, MAX_HEIGHT } from './messages.ts';

function start(): void {
  const script = document.currentScript;
  if (!(script instanceof HTMLScriptElement) || !script.src) return;
  const origin = new URL(script.src).origin;
  const frames = () =>
    Array.from(document.querySelectorAll<HTMLIFrameElement>('iframe[data-liveline-widget]'));

  window.addEventListener('message', (event) => {
    if (event.origin !== origin) return;
    const data = event.data as { type?: unknown; height?: unknown } | null;
    if (data?.type !== HEIGHT || typeof data.height !== 'number') return;
    if (!Number.isFinite(data.height) || data.height <= 0) return;
    const frame = frames().find((candidate) => candidate.contentWindow === event.source);
    if (frame) frame.style.height = `${Math.min(Math.ceil(data.height), MAX_HEIGHT)}px`;
  });
  // A frame that loaded before this script reported to nobody: ask each for its height.
  for (const frame of frames()) {
    frame.contentWindow?.postMessage({ type: ASK }, origin);
  }
}

start();
