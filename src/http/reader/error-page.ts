import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { LivelineError } from '../../domain/errors.ts';
import { renderErrorPage, type Assets } from '../../render/index.ts';
import { RETRY_AFTER_SECONDS, sendProblem, statusOf, toLivelineError } from '../problem.ts';

/**
 * Errors for readers. A person who follows a broken link to a reader page gets the site's
 * HTML error page with the right status; programs (the API, or a client that asks for JSON)
 * get problem+json from sendProblem. Both app.ts handlers (errors and unknown routes) call
 * `answerError`, so every reader route, present and future, behaves the same.
 */

/** `/` and everything under `/live/`: the routes readers' browsers open. */
function isReaderPath(path: string): boolean {
  return path === '/' || path.startsWith('/live/');
}

/**
 * True when the request should get an HTML error page: a GET (or HEAD) of a reader route,
 * unless it asks for JSON and not HTML; or of an unknown address from a browser.
 */
export function wantsErrorPage(request: FastifyRequest, unknownRoute: boolean): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  // The API, and the event stream (read by EventSource, never shown), answer programs.
  if (path.startsWith('/api/') || path.endsWith('/events')) return false;
  const accept = request.headers.accept ?? '';
  const html = accept.includes('text/html');
  if (!html && accept.includes('json')) return false;
  return isReaderPath(path) || (unknownRoute && html);
}

/** What a reader is told about a bad part of the address, by query parameter. */
const PARAMETER_HELP: Record<string, string> = {
  page: 'Page numbers are whole numbers from 1, as in ?page=2.',
  since: 'The position to resume from is a whole number from 0.',
};

/**
 * The status a reader gets. An address whose path cannot name anything (a malformed slug or
 * post id) is simply not found (404); a malformed query parameter is a bad request (400).
 */
function readerStatus(known: LivelineError, raw: unknown): number {
  if (known.code !== 'VALIDATION_FAILED') return statusOf(known.code);
  return (raw as Partial<FastifyError>).validationContext === 'params' ? 404 : 400;
}

function pageFor(known: LivelineError, status: number): { title: string; message: string } {
  if (status === 404) {
    // A page or post the address names is missing: the catalogue says which. Otherwise the
    // address names nothing (and the route's own words would only echo it back).
    const named = known.code !== 'VALIDATION_FAILED' && known.code !== 'ROUTE_NOT_FOUND';
    return {
      title: 'Page not found',
      message: named ? known.message : 'There is no page at this address.',
    };
  }
  if (status === 400) {
    const names = known.problems.map((p) => p.field.split('/')[1] ?? '').filter(Boolean);
    const help = [...new Set(names)].map((name) => PARAMETER_HELP[name] ?? `Check “${name}”.`);
    return {
      title: 'This address is not quite right',
      message: help.length > 0 ? help.join(' ') : known.message,
    };
  }
  if (status >= 500) {
    return { title: 'Something went wrong', message: 'Please try again in a moment.' };
  }
  return { title: 'This page cannot be shown', message: known.message };
}

/** Sends the error as the reader's HTML page or as problem+json, whichever the request needs. */
export function answerError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  assets: Assets,
  unknownRoute = false,
): FastifyReply {
  if (!wantsErrorPage(request, unknownRoute)) return sendProblem(error, request, reply);
  const known = toLivelineError(error, request);
  const status = readerStatus(known, error);
  // As in sendProblem: only a fault is logged; an outage is logged once, by the store.
  if (known.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
  if (known.code === 'DATABASE_UNAVAILABLE')
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  const { title, message } = pageFor(known, status);
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', status >= 500 ? 'no-store' : 'public, max-age=0, s-maxage=5')
    .send(renderErrorPage({ title, message, assets }));
}
