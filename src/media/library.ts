import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStorage } from './disk-storage.ts';
import { JobQueue } from './job-queue.ts';
import { ProcessingProcess, type ProcessingOptions } from './process-pool.ts';
import { S3Storage, type S3Settings } from './s3-storage.ts';
import type { MediaStorage } from './storage.ts';

/** The largest file the desk may upload, unless MEDIA_MAX_BYTES says otherwise. */
export const DEFAULT_MEDIA_MAX_BYTES = 25 * 1024 * 1024;

/** Where pictures are kept and how many are processed at once: what the media routes need. */
export interface MediaLibrary {
  storage: MediaStorage;
  queue: JobQueue;
  /** Where the work is done: a process of lower priority (process-pool.ts). */
  processor: ProcessingProcess;
  /**
   * A folder of this library's own where uploads are written as they arrive and variants as
   * they are made, until they are stored (src/media/incoming.ts); removed at close.
   */
  workDir: string;
  maxBytes: number;
  close(): Promise<void>;
}

export interface MediaSettings {
  /** DATA_DIR/media unless S3 is configured. */
  dir?: string;
  s3?: S3Settings | null;
  maxBytes?: number;
  /** Pictures processed at once (MEDIA_PROCESS_CONCURRENCY, default 1). */
  concurrency?: number;
  /** How the processing process is scheduled, and where that is reported (ADR 0026). */
  processing?: ProcessingOptions;
}

/** The media library the settings describe: S3 when configured, else disk under `dir`. */
export function openMediaLibrary(settings: MediaSettings & { dir: string }): MediaLibrary {
  const storage = settings.s3 ? new S3Storage(settings.s3) : new DiskStorage(settings.dir);
  return library(storage, settings, async () => storage.close());
}

/**
 * A library in a fresh temporary folder, removed when it closes: for an app built without
 * media settings (a test, a one-off tool), so uploads still work for its lifetime.
 */
export async function temporaryMediaLibrary(settings: MediaSettings = {}): Promise<MediaLibrary> {
  const dir = await mkdtemp(join(tmpdir(), 'liveline-media-'));
  const storage = new DiskStorage(dir);
  return library(storage, settings, () => rm(dir, { recursive: true, force: true }));
}

function library(
  storage: MediaStorage,
  settings: MediaSettings,
  close: () => Promise<void>,
): MediaLibrary {
  const processor = new ProcessingProcess(settings.processing);
  const workDir = mkdtempSync(join(tmpdir(), 'liveline-uploads-'));
  return {
    storage,
    queue: new JobQueue(settings.concurrency ?? 1),
    processor,
    workDir,
    maxBytes: settings.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES,
    close: async () => {
      processor.close();
      await rm(workDir, { recursive: true, force: true });
      await close();
    },
  };
}
