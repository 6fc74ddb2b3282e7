import { createRequire } from 'node:module';
import type { LoggerOptions } from 'pino';
import type { LogLevel } from './config.ts';

/** True when pino-pretty (a development dependency) is installed. */
function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * How logs are written: JSON lines for machines (production, files, pipes), readable lines
 * through pino-pretty when a person watches a terminal during development.
 */
export function loggerOptions(
  level: LogLevel,
  where: { isTTY: boolean; nodeEnv: string | undefined } = {
    isTTY: process.stdout.isTTY === true,
    nodeEnv: process.env.NODE_ENV,
  },
): LoggerOptions {
  if (!where.isTTY || where.nodeEnv === 'production' || !prettyAvailable()) return { level };
  return {
    level,
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    },
  };
}
