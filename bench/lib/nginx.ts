import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accepts, freePort, waitUntil } from './net.ts';
import { openFilesHardLimit, processTree } from './proc-stats.ts';
import { NCHAN_MODULE, NGINX_BIN } from './prereqs.ts';
import { start, stop, type Started } from './procs.ts';

export interface Nginx {
  host: string;
  port: number;
  process: Started;
  /** The master and its workers. */
  pids(): number[];
  stop(): Promise<void>;
}

/** The parts of nginx.conf every benchmark shares: one folder, no daemon, no access log. */
function frame(dir: string, workers: number, modules: string, http: string): string {
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
  const user = process.getuid?.() === 0 ? 'user nobody nogroup;' : '';
  return `${modules}
daemon off;
master_process on;
${user}
worker_processes ${workers};
worker_rlimit_nofile ${openFilesHardLimit()};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events {
  worker_connections ${openFilesHardLimit()};
  multi_accept on;
}
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  keepalive_requests 1000000;
  keepalive_timeout 75s;
${http}
}
`;
}

/** nchan: POST /pub?id=C publishes, GET /sub?id=C subscribes as an EventSource. */
export function nchanConf(dir: string, port: number, workers: number): string {
  return frame(
    dir,
    workers,
    `load_module ${NCHAN_MODULE};`,
    `  server {
    # reuseport: the kernel spreads connections evenly over the workers (each may hold
    # only as many as its open-files limit).
    listen 127.0.0.1:${port} backlog=4096${workers > 1 ? ' reuseport' : ''};
    location = /pub {
      nchan_publisher;
      nchan_channel_id $arg_id;
      nchan_message_buffer_length 5;
      nchan_message_timeout 10m;
    }
    location = /sub {
      nchan_subscriber eventsource;
      nchan_channel_id $arg_id;
    }
  }`,
  );
}

export interface StaticFile {
  /** The URL path, matched exactly (the query string is ignored). */
  path: string;
  file: string;
  contentType: string;
  /** Extra response headers, e.g. the ones Liveline sends, so the bytes match. */
  headers: Record<string, string>;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** nginx serving files from disk (sendfile, its own ETag and 304s). */
export function staticConf(dir: string, port: number, files: readonly StaticFile[]): string {
  const locations = files.map((file) => {
    const headers = Object.entries(file.headers)
      .filter(([, value]) => !value.includes('$'))
      .map(([name, value]) => `      add_header ${name} ${quote(value)} always;`)
      .join('\n');
    return `    location = ${file.path} {
      alias ${file.file};
      default_type ${quote(file.contentType)};
${headers}
    }`;
  });
  return frame(
    dir,
    1,
    '',
    `  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  server_tokens off;
  server {
    listen 127.0.0.1:${port} backlog=4096;
${locations.join('\n')}
  }`,
  );
}

/** Writes nginx.conf into `dir` and starts nginx in the foreground. */
export async function startNginx(
  dir: string,
  makeConf: (dir: string, port: number) => string,
): Promise<Nginx> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  // Workers run as nobody and must reach the files served.
  chmodSync(dir, 0o755);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, makeConf(dir, port));
  const child = start(`nginx:${port}`, NGINX_BIN, [
    '-p',
    dir,
    '-c',
    conf,
    '-e',
    join(dir, 'error.log'),
  ]);
  try {
    await waitUntil(`nginx on port ${port}`, () => accepts('127.0.0.1', port), {
      timeoutMs: 15_000,
      process: child,
    });
  } catch (error) {
    let log = '';
    try {
      log = readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      // No log yet.
    }
    await stop(child);
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    host: '127.0.0.1',
    port,
    process: child,
    pids: () => processTree(child.pid),
    stop: () => stop(child),
  };
}
