import type { FastifyPluginAsync } from 'fastify';
import type { Assets } from '../../render/index.ts';
import type { DeskAssets } from './assets.ts';

/** Attribute text: our own URLs, escaped all the same. */
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The desk's HTML shell: the same small page at every desk address; the bundle reads the
 * path and draws the screen. It holds no user data (the app asks /desk/api/me), so it is
 * the same for everyone, but it is never cached by a CDN nor indexed.
 */
export function renderDeskShell(desk: DeskAssets['urls'], reader: Assets): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Liveline desk</title>
<link rel="stylesheet" href="${escapeHtml(desk.css)}">
<script src="${escapeHtml(desk.script)}" defer></script>
</head>
<body>
<div id="desk" data-reader-css="${escapeHtml(reader.css)}"><main class="shell"><p>Loading the desk…</p><noscript><p>The desk needs JavaScript.</p></noscript></main></div>
</body>
</html>
`;
}

const SHELL_PATHS = [
  '/desk',
  '/desk/link/:token',
  '/desk/pages/:slug',
  '/desk/users',
  '/desk/account',
  '/desk/audit',
  '/desk/webhooks',
];

export const deskShellRoutes: FastifyPluginAsync<{ desk: DeskAssets; reader: Assets }> = async (
  app,
  { desk, reader },
) => {
  const html = renderDeskShell(desk.urls, reader);
  for (const url of SHELL_PATHS) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex')
        .send(html),
    );
  }
  app.get('/desk/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const found = desk.byPath.get(request.url.split('?')[0] ?? '');
    if (!found) return reply.callNotFound();
    return reply
      .header('content-type', found.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', found.etag)
      .send(found.body);
  });
};
