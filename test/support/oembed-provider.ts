import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the local provider received: the post address it was asked about. */
export interface OEmbedAsk {
  path: string;
  url: string | null;
  format: string | null;
}

/**
 * A local oEmbed provider on a free port, standing in for YouTube's, X's...: it answers
 * `GET /oembed?url=...` with a title and author made from the address, and misbehaves on
 * purpose for addresses that say so: `nul` (a NUL in the author), `slow` (never answers in time), `huge` (an answer over
 * any sane size), `broken` (500), `moved` (a redirect elsewhere), `garbage` (not JSON).
 */
export async function startOEmbedProvider(): Promise<{
  endpoint: string;
  asks: OEmbedAsk[];
  close(): Promise<void>;
}> {
  const asks: OEmbedAsk[] = [];
  const server: Server = createServer((request, response) => {
    const address = new URL(request.url ?? '/', 'http://provider.test');
    const url = address.searchParams.get('url');
    asks.push({ path: address.pathname, url, format: address.searchParams.get('format') });
    const post = url ?? '';
    if (address.pathname !== '/oembed' || url === null) return response.writeHead(404).end();
    if (post.includes('slow')) return void setTimeout(() => response.end('{}'), 20_000).unref();
    if (post.includes('broken')) return response.writeHead(500).end('{}');
    if (post.includes('moved'))
      return response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
    if (post.includes('garbage')) return response.end('<html>not json');
    if (post.includes('huge')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ title: 'x'.repeat(200_000), author_name: 'Big' }));
    }
    const id = post.split('/').at(-1) ?? '';
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        version: '1.0',
        type: 'video',
        title: `Launch <day> & night ${id}`,
        author_name: post.includes('nul') ? 'Skerra\u0000 Head' : 'Skerra Head\n  Spaceport',
        html: '<script>alert(1)</script>',
        thumbnail_url: 'https://i.example/thumb.jpg',
      }),
    );
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/oembed`,
    asks,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
