import { LivelineError } from '../domain/errors.ts';
import { processImage } from './process.ts';

/**
 * The picture-processing process (src/media/process-pool.ts starts it at a low priority):
 * takes `{id, input}` over IPC, answers `{id, result}` or `{id, error, unreadable}`.
 */
interface Job {
  id: number;
  input: Uint8Array;
}

process.on('message', (job: Job) => {
  const input = Buffer.from(job.input.buffer, job.input.byteOffset, job.input.byteLength);
  processImage(input).then(
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
