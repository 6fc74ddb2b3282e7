import { existsSync } from 'node:fs';
import { run } from './procs.ts';

export const NGINX_BIN = '/usr/sbin/nginx';
/** Where Debian's libnginx-mod-nchan puts the module. */
export const NCHAN_MODULE = '/usr/lib/nginx/modules/ngx_nchan_module.so';

interface Need {
  what: string;
  present: () => boolean;
  packages: string[];
}

const NEEDS: Record<'nginx' | 'nchan' | 'wrk', Need> = {
  nginx: { what: 'nginx', present: () => existsSync(NGINX_BIN), packages: ['nginx'] },
  nchan: {
    what: 'the nginx nchan module',
    present: () => existsSync(NCHAN_MODULE),
    packages: ['nginx', 'libnginx-mod-nchan'],
  },
  wrk: { what: 'wrk', present: () => existsSync('/usr/bin/wrk'), packages: ['wrk'] },
};

/**
 * Checks the Debian packages a benchmark needs. Missing ones are installed with apt-get only
 * when `install` is set (--install) and we are root; otherwise the script says how and stops.
 */
export async function ensurePrereqs(
  needs: readonly (keyof typeof NEEDS)[],
  install: boolean,
): Promise<void> {
  const missing = needs.map((name) => NEEDS[name]).filter((need) => !need.present());
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((need) => need.packages))];
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (!install || process.getuid?.() !== 0) {
    console.error(`Missing: ${missing.map((need) => need.what).join(', ')}.`);
    console.error(`Install with:  sudo sh -c '${command}'   (or re-run as root with --install)`);
    process.exit(2);
  }
  console.error(`Installing ${packages.join(' ')} ...`);
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const result = await run('apt-get', args, {
      timeoutMs: 600_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed:\n${result.stderr}`);
  }
}
