import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { PAGE_STATUSES, type PageStatus } from '../../domain/page.ts';
import { exportPageText } from '../../services/export.ts';
import { importPage } from '../../services/import.ts';
import { systemUser, withServices } from '../session.ts';
import {
  addTextFormatOptions,
  isoDate,
  textFormatOverrides,
  type TextFormatFlags,
} from './text-format-options.ts';

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('must be a whole number from 1');
  return Number(value);
}

function year(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('must be a four-digit year');
  return Number(value);
}

function status(value: string): PageStatus {
  if (!(PAGE_STATUSES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${PAGE_STATUSES.join(', ')}`);
  }
  return value as PageStatus;
}

interface ImportOptions extends TextFormatFlags {
  slug: string;
  title?: string;
  status?: PageStatus;
  year?: number;
  captureDate?: string;
  partial?: boolean;
}

/** `import` and `export`: the BBC live-page text format in and out of the database. */
export function registerImportExport(program: Command): void {
  const importCommand = program
    .command('import')
    .description(
      'import text captures of a live page; several files are its pages 1, 2, ... in order',
    )
    .argument('<files...>', 'capture files, page 1 first')
    .requiredOption('--slug <slug>', "the new live page's slug")
    .option('--title <title>', 'the page title (captures have none; default: from the slug)')
    .option('--status <status>', `${PAGE_STATUSES.join(', ')} (default: ended)`, status)
    .option('--year <yyyy>', 'the year of the newest posts, for dates written without one', year)
    .option(
      '--capture-date <yyyy-mm-dd>',
      'the day of the capture, for times written without a date',
      isoDate,
    )
    .option(
      '--partial',
      'import the complete posts of a damaged capture and report what was dropped',
    );
  addTextFormatOptions(importCommand).action(async (files: string[], options: ImportOptions) => {
    const captures = await Promise.all(
      files.map(async (file) => ({ name: basename(file), text: await readFile(file, 'utf8') })),
    );
    await withServices(async (services) => {
      // The bar goes to standard error, so `-s` runs keep standard output for the summary.
      const bar =
        files.length > 1 ? new SingleBar({ stream: process.stderr }, Presets.shades_classic) : null;
      const { zoneStyle, showYear, repeatTimeLine, streamPageLine, captureDay, ...rest } = options;
      const textFormat = textFormatOverrides({
        zoneStyle,
        showYear,
        repeatTimeLine,
        streamPageLine,
        captureDay,
      });
      const report = await importPage(services, await systemUser(services, 'admin'), {
        ...rest,
        textFormat,
        captures,
        onProgress: (written, total) => {
          if (written === 1) bar?.start(total, 0);
          bar?.update(written);
        },
      });
      bar?.stop();
      const { page } = report;
      console.log(
        `Imported ${report.posts} posts from ${files.length} file(s) as /live/${page.slug} ("${page.title}", ${page.status}).`,
      );
      for (const assumption of report.assumptions) console.log(`Assumed: ${assumption}`);
      for (const drop of report.dropped)
        console.log(`Dropped: ${drop.capture} line ${drop.line}: ${drop.reason}`);
    }, 'page.import');
  });

  const exportCommand = program
    .command('export')
    .description('write page N of a live page (20 posts) in the text format to standard output')
    .argument('<slug>', 'the live page')
    .option('--page <n>', 'which page of posts (default 1)', positiveInteger);
  addTextFormatOptions(exportCommand).action(
    async (slug: string, options: TextFormatFlags & { page?: number }) => {
      await withServices(async (services) => {
        process.stdout.write(
          await exportPageText(services, slug, options.page ?? 1, textFormatOverrides(options)),
        );
      });
    },
  );
}
