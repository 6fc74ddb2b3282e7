import { LivelineError } from '../domain/errors.ts';
import { processImage } from './process.ts';

/**
 * The picture-processing process (src/media/process-pool.ts starts it at a low priority):
 * takes `{id, input, outDir}` over IPC (the picture's file, and the folder for its variants'
 * files), answers `{id, result}` or `{id, error, unreadable}`. Only paths and sizes cross
 * the channel: the server never copies a picture in or out.
 */
interface Job {
  id: number;
  input: string;
  outDir: string;
}

process.on('message', (job: Job) => {
  processImage(job.input, job.outDir).then(
    (result) => process.send?.({ id: job.id, result }),
    (error: unknown) =>
      process.send?.({
        id: job.id,
        error: error instanceof Error ? error.message : String(error),
        unreadable: error instanceof LivelineError && error.code === 'MEDIA_UNREADABLE',
      }),
  );
});
// The parent gone, nothing is left to do.
process.on('disconnect', () => process.exit(0));
