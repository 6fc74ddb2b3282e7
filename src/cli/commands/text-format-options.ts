import { InvalidArgumentError, type Command } from 'commander';
import type { TextFormatSettings } from '../../domain/page.ts';
import { isIsoDate } from '../../domain/validate.ts';

/** The date options' shape, checked as the command line is read. */
export function isoDate(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError('must be a real date, YYYY-MM-DD');
  return value;
}

function zoneStyle(value: string): TextFormatSettings['zoneStyle'] {
  if (value !== 'long' && value !== 'short')
    throw new InvalidArgumentError('must be long or short');
  return value;
}

export interface TextFormatFlags {
  zoneStyle?: TextFormatSettings['zoneStyle'];
  showYear?: boolean;
  repeatTimeLine?: boolean;
  streamPageLine?: boolean;
  captureDay?: string;
}

/** Options that override how times and page furniture are written in the text format. */
export function addTextFormatOptions(command: Command): Command {
  return command
    .option(
      '--zone-style <style>',
      'write zones long ("Greenwich Mean Time") or short ("GMT")',
      zoneStyle,
    )
    .option('--show-year', 'write the year in dates')
    .option('--no-show-year', 'leave the year out of dates')
    .option('--repeat-time-line', 'write the second, zone-less "published at" line')
    .option('--no-repeat-time-line', 'leave the second "published at" line out')
    .option('--stream-page-line', 'write the "LIVE stream page N" line')
    .option('--no-stream-page-line', 'leave the "LIVE stream page N" line out')
    .option('--capture-day <yyyy-mm-dd>', 'posts of this day are written without a date', isoDate);
}

/** The settings the flags override; flags not given leave the page's own. */
export function textFormatOverrides(flags: TextFormatFlags): Partial<TextFormatSettings> {
  return {
    ...(flags.zoneStyle !== undefined && { zoneStyle: flags.zoneStyle }),
    ...(flags.showYear !== undefined && { showYear: flags.showYear }),
    ...(flags.repeatTimeLine !== undefined && { repeatTimeLine: flags.repeatTimeLine }),
    ...(flags.streamPageLine !== undefined && { streamPageLine: flags.streamPageLine }),
    ...(flags.captureDay !== undefined && { captureDate: flags.captureDay }),
  };
}
