import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { canRunIdle, ProcessingProcess } from './process-pool.ts';

const SCHED_IDLE = 5;

/** How sharp names what it reads back: AVIF is a HEIF container. */
const SHARP_FORMAT = { avif: 'heif', webp: 'webp', jpeg: 'jpeg' } as const;

/** Every thread of a process: its name, niceness and scheduling policy (proc(5), stat). */
function threads(pid: number): { name: string; nice: number; policy: number }[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    return { name, nice: Number(fields[16]), policy: Number(fields[38]) };
  });
}

function recorder() {
  const lines: { level: string; msg: string }[] = [];
  return {
    lines,
    info: (_: object, msg: string) => void lines.push({ level: 'info', msg }),
    warn: (_: object, msg: string) => void lines.push({ level: 'warn', msg }),
  };
}

/** A photo in a file of a fresh folder, and that folder for its variants. */
async function photo(): Promise<{ input: string; outDir: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'liveline-process-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));
  const input = join(outDir, 'photo.jpg');
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#446688' } })
    .jpeg()
    .toFile(input);
  return { input, outDir };
}

// The picture-processing process must never compete with the server for a core (ADR 0026).
describe('the processing process', { timeout: 90_000 }, () => {
  it('runs every thread under SCHED_IDLE, libvips and libuv threads included', async (t) => {
    if (!(await canRunIdle())) return t.skip('chrt --idle is refused on this machine');
    const log = recorder();
    const processor = new ProcessingProcess({ log });
    try {
      const { input, outDir } = await photo();
      const done = await processor.process(input, outDir);
      assert.equal(done.width, 1200);
      assert.equal(done.variants.length, 4 * 3, '320, 640, 960 and 1200 wide, in three formats');
      for (const variant of done.variants) {
        assert.equal(dirname(variant.file), outDir, 'made in the folder it was given');
        assert.equal(statSync(variant.file).size, variant.bytes, variant.file);
        const meta = await sharp(variant.file).metadata();
        assert.deepEqual([meta.format, meta.width], [SHARP_FORMAT[variant.format], variant.width]);
      }
      const pid = processor.pid;
      assert.ok(pid !== undefined);
      const seen = threads(pid);
      // Node's main thread, V8's platform workers, libuv's pool where sharp works, and the
      // threads libvips started for the work, long after the process began.
      assert.ok(seen.length >= 5, JSON.stringify(seen));
      assert.ok(
        seen.some((s) => s.name === 'libvips worker'),
        JSON.stringify(seen),
      );
      for (const thread of seen) assert.equal(thread.policy, SCHED_IDLE, JSON.stringify(thread));
      assert.deepEqual(log.lines, [
        { level: 'info', msg: 'pictures are processed under SCHED_IDLE' },
      ]);
    } finally {
      processor.close();
    }
  });

  it('falls back to nice 10 when chrt is missing, says so, and still processes', async () => {
    const log = recorder();
    const processor = new ProcessingProcess({ log, chrt: '/nonexistent/chrt' });
    try {
      const { input, outDir } = await photo();
      const done = await processor.process(input, outDir);
      assert.equal(done.height, 800);
      const pid = processor.pid;
      assert.ok(pid !== undefined);
      const main = threads(pid)[0];
      assert.deepEqual(main && { nice: main.nice, policy: main.policy }, { nice: 10, policy: 0 });
      assert.equal(log.lines.length, 1);
      assert.equal(log.lines[0]?.level, 'warn');
      assert.match(
        log.lines[0]?.msg ?? '',
        /`\/nonexistent\/chrt --idle` is not available here: pictures are processed at nice 10/,
      );
    } finally {
      processor.close();
    }
  });

  it('refuses work once closed', async () => {
    const processor = new ProcessingProcess({ chrt: '/nonexistent/chrt' });
    processor.close();
    const { input, outDir } = await photo();
    await assert.rejects(processor.process(input, outDir), /closed/);
    assert.equal(processor.pid, undefined, 'no process was started');
  });
});
