/**
 * Read benchmark: GET /live/{slug} (20 posts) and GET /api/pages/{slug}/posts?page=1 with wrk,
 * against a bare node:http server sending the same bytes from memory and nginx serving them as
 * static files, each also as a 304 (If-None-Match), in the same run. See bench/README.md.
 *
 *   node --import tsx bench/reads.ts --repeat 3 --duration 10
 */
import { int, options } from './lib/args.ts';
import {
  HEADERS,
  measure,
  Samples,
  table,
  type HttpServer,
  type LoadOptions,
} from './lib/http-bench.ts';
import { ApiClient, createToken, HOST, startLiveline, tempDir } from './lib/liveline.ts';
import { machineReport } from './lib/machine.ts';
import { postInput } from './lib/post-body.ts';
import { ensurePrereqs } from './lib/prereqs.ts';
import { stopAll, watchdog } from './lib/procs.ts';
import { printProfiles } from './lib/profile.ts';
import { startReferences, type Headers, type Resource } from './lib/references.ts';

const args = options(
  `usage: node --import tsx bench/reads.ts [options]
  --repeat 3         wrk runs of each case (interleaved); tables show medians
  --duration 10      seconds per wrk run (-d)
  --connections 50   wrk -c (one thread, -t1)
  --posts 20         posts on the page before reading
  --max-minutes 30
  --cpu-prof DIR     profile Liveline (node --cpu-prof) and print its hottest functions
  --install          apt-get install nginx wrk when missing (root)`,
  {
    repeat: { default: '3' },
    duration: { default: '10' },
    connections: { default: '50' },
    posts: { default: '20' },
    'max-minutes': { default: '30' },
    'cpu-prof': { default: '' },
    install: { flag: true },
  },
);

const SLUG = 'bench-reads';
const RESOURCES: Resource[] = [
  { name: 'GET /live/{slug}', url: `/live/${SLUG}`, file: 'live.html' },
  {
    name: 'GET /api/pages/{slug}/posts?page=1',
    url: `/api/pages/${SLUG}/posts?page=1`,
    file: 'posts.json',
  },
];
const VARIANTS = ['200', '304'];

async function main(): Promise<void> {
  watchdog(int('max-minutes', args['max-minutes']));
  await ensurePrereqs(['nginx', 'wrk'], args.install);
  console.log(machineReport());
  console.log(`command: node --import tsx bench/reads.ts ${process.argv.slice(2).join(' ')}\n`);
  const load: LoadOptions = {
    threads: 1,
    connections: int('connections', args.connections),
    seconds: int('duration', args.duration),
  };

  const dataDir = tempDir('reads');
  const token = await createToken(dataDir);
  const cpuProfDir = args['cpu-prof'] || undefined;
  const liveline = await startLiveline({ dataDir, env: { WORKERS: '1' }, cpuProfDir });
  const api = new ApiClient(HOST, liveline.port, token);
  await api.createPage(SLUG, 'Read benchmark');
  for (let n = 1; n <= int('posts', args.posts); n++) {
    await api.publish(SLUG, JSON.stringify(postInput(n)));
  }
  api.close();
  const references = await startReferences(liveline.port, RESOURCES);
  const servers: HttpServer[] = [
    { name: 'liveline', host: HOST, port: liveline.port, pids: () => liveline.pids() },
    ...references.servers,
  ];

  // Warm each server's code paths before anything is timed.
  for (const server of servers) {
    for (const resource of RESOURCES)
      await measure(server, resource.url, {}, { ...load, seconds: 2 });
  }
  const samples = new Map<string, Samples>();
  const key = (resource: string, variant: string, server: string) =>
    `${resource}|${variant}|${server}`;
  for (let r = 0; r < int('repeat', args.repeat); r++) {
    for (const resource of RESOURCES) {
      for (const variant of VARIANTS) {
        for (const server of servers) {
          const etag = references.etags.get(resource.url)?.[server.name] ?? '';
          const headers: Headers = variant === '304' ? { 'If-None-Match': etag } : {};
          const result = await measure(server, resource.url, headers, load);
          const k = key(resource.name, variant, server.name);
          if (!samples.has(k)) samples.set(k, new Samples());
          samples.get(k)?.add(result);
          console.error(
            `run ${r + 1}: ${resource.name} ${variant} ${server.name}: ${result.requestsPerSecond.toFixed(0)} req/s`,
          );
        }
      }
    }
  }
  await liveline.stop();

  console.log(
    `\n## Reads: wrk -t${load.threads} -c${load.connections} -d${load.seconds}s, ${args.repeat} runs each\n`,
  );
  const get = (resource: string, variant: string, server: string) =>
    samples.get(key(resource, variant, server)) as Samples;
  const rows: string[][] = [];
  for (const resource of RESOURCES) {
    for (const variant of VARIANTS) {
      const refs = [get(resource.name, variant, 'bare'), get(resource.name, variant, 'nginx')];
      for (const server of servers) {
        rows.push(
          get(resource.name, variant, server.name).row([resource.name, variant, server.name], refs),
        );
      }
    }
  }
  console.log(table(['request', 'status', 'server', ...HEADERS, 'vs bare', 'vs nginx'], rows));
  console.log('\n"vs" columns: the median over rounds of the ratio within each round.');
  const page = RESOURCES[0]?.name ?? '';
  const live = get(page, '200', 'liveline');
  const bare = get(page, '200', 'bare');
  const nginx = get(page, '200', 'nginx');
  const paired = live.pairedRatio(bare);
  console.log(
    `\n- GET /live/{slug} at least 0.9 of bare node:http: ${paired >= 0.9 ? 'MET' : 'MISSED'} ` +
      `(${paired.toFixed(2)} paired; ratio of the medians ${(live.rate / bare.rate).toFixed(2)}: ` +
      `${live.rate.toFixed(0)} vs ${bare.rate.toFixed(0)} req/s); vs nginx static file: ` +
      `${live.pairedRatio(nginx).toFixed(2)} (${nginx.rate.toFixed(0)} req/s)`,
  );
  if (cpuProfDir) printProfiles(cpuProfDir);
}

try {
  await main();
} finally {
  await stopAll();
}
