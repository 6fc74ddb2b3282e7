import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpServer } from './http-bench.ts';
import { HOST, ROOT, tempDir } from './liveline.ts';
import { freePort, request, waitUntil } from './net.ts';
import { startNginx, staticConf, type StaticFile } from './nginx.ts';
import { processTree } from './proc-stats.ts';
import { start } from './procs.ts';

export type Headers = Record<string, string>;

export interface Resource {
  name: string;
  url: string;
  file: string;
}

/** Headers that belong to the connection or the moment, not to the resource. */
const NOT_COPIED = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

function copyable(headers: NodeJS.Dict<string | string[]>): Headers {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name, value]) => !NOT_COPIED.has(name) && typeof value === 'string')
      .map(([name, value]) => [name, value as string]),
  );
}

export interface References {
  servers: HttpServer[];
  /** Per URL, the ETag each server gives it (for the 304 runs). */
  etags: Map<string, Headers>;
}

/**
 * Saves what Liveline answers for each resource (body and headers, and the headers of its
 * 304) and starts the references: a bare node:http server sending those bytes from memory
 * and nginx sending them from files (one worker, sendfile, its own ETag).
 */
export async function startReferences(
  livelinePort: number,
  resources: readonly Resource[],
): Promise<References> {
  const dir = tempDir('reads-static');
  // nginx's workers (user nobody) read these files.
  chmodSync(dir, 0o755);
  const files: StaticFile[] = [];
  const manifest: object[] = [];
  const etags = new Map<string, Headers>();
  for (const resource of resources) {
    const response = await request({ host: HOST, port: livelinePort, path: resource.url });
    if (response.status !== 200) throw new Error(`${resource.url} answered ${response.status}`);
    const file = join(dir, resource.file);
    writeFileSync(file, response.body, { mode: 0o644 });
    const headers = copyable(response.headers);
    const notModified = await request({
      host: HOST,
      port: livelinePort,
      path: resource.url,
      headers: { 'if-none-match': headers.etag ?? '' },
    });
    manifest.push({
      url: resource.url,
      bodyFile: file,
      headers,
      notModifiedHeaders: notModified.status === 304 ? copyable(notModified.headers) : {},
    });
    const { 'content-type': contentType = 'text/html', etag: _etag, ...rest } = headers;
    files.push({ path: resource.url.split('?')[0] as string, file, contentType, headers: rest });
    etags.set(resource.url, { liveline: headers.etag ?? '', bare: headers.etag ?? '' });
    console.log(`${resource.name}: ${response.body.length} bytes, ETag ${headers.etag ?? 'none'}`);
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));

  const barePort = await freePort();
  const bare = start('bare-http', process.execPath, [
    '--import',
    'tsx',
    join(ROOT, 'bench/servers/bare-http.ts'),
    String(barePort),
    join(dir, 'manifest.json'),
  ]);
  const first = resources[0]?.url ?? '/';
  await waitUntil(
    'the bare node:http server',
    async () => (await request({ host: HOST, port: barePort, path: first })).status === 200,
    { timeoutMs: 30_000, process: bare },
  );
  const nginx = await startNginx(tempDir('reads-nginx'), (nginxDir, port) =>
    staticConf(nginxDir, port, files),
  );
  for (const resource of resources) {
    const response = await request({ host: HOST, port: nginx.port, path: resource.url });
    if (response.status !== 200) throw new Error(`nginx ${resource.url}: ${response.status}`);
    (etags.get(resource.url) as Headers).nginx = String(response.headers.etag ?? '');
  }
  return {
    servers: [
      { name: 'bare', host: HOST, port: barePort, pids: () => processTree(bare.pid) },
      { name: 'nginx', host: HOST, port: nginx.port, pids: () => nginx.pids() },
    ],
    etags,
  };
}
