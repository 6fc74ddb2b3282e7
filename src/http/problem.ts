import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, LivelineError, type ErrorCode } from '../domain/errors.ts';
import { DatabaseUnavailable } from '../store/unavailable.ts';
import { toFieldProblems } from './validation.ts';

/** The HTTP status of each error code: the one place domain errors meet HTTP. */
const STATUS: Record<ErrorCode, number> = {
  PAGE_NOT_FOUND: 404,
  POST_NOT_FOUND: 404,
  PAGE_OUT_OF_RANGE: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SLUG_TAKEN: 409,
  EDIT_CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 422,
  MALFORMED_JSON: 400,
  MALFORMED_REQUEST: 400,
  BODY_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TOO_MANY_STREAMS: 429,
  STREAMS_FULL: 503,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  SIGN_IN_FAILED: 401,
  CSRF_REJECTED: 403,
  LINK_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  PRESENCE_NOT_FOUND: 404,
  PRESENCE_UNAVAILABLE: 503,
  VERSION_NOT_FOUND: 404,
  VERSION_IS_CURRENT: 409,
  POST_REMOVED: 410,
  REVIEW_REQUIRED: 403,
  INVALID_TRANSITION: 409,
  // The embeddable widget's oEmbed endpoint (ADR 0024).
  OEMBED_URL_INVALID: 400,
  OEMBED_FORMAT_NOT_JSON: 501,
  WEBHOOK_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  WEBHOOK_TARGET_REFUSED: 422,
  // Pictures (ADR 0020).
  MEDIA_TYPE_REFUSED: 415,
  MEDIA_UNREADABLE: 422,
  MEDIA_TOO_LARGE: 413,
  MEDIA_NOT_FOUND: 404,
  // Push alerts (issue 12).
  ALERTS_LIMIT_REACHED: 409,
};

/** Seconds a client is told to wait before retrying a 503: a database restart takes a few. */
export const RETRY_AFTER_SECONDS = 5;

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function titleOf(status: number): string {
  return TITLE[status] ?? 'Error';
}

/** Fastify's own errors, in the catalogue's terms. */
function fromFastify(error: FastifyError, request: FastifyRequest): LivelineError | null {
  if (error.validation) {
    const problems = toFieldProblems(error.validation);
    const where = error.validationContext ?? 'body';
    const located = problems.map((p) => ({
      field: `${where}${p.field === '/' ? '' : p.field}`,
      reason: p.reason,
    }));
    const detail = located.map((p) => `${p.field} ${p.reason}`).join('; ');
    return new LivelineError('VALIDATION_FAILED', detail, { problems: located });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new LivelineError(
        'BODY_TOO_LARGE',
        `The request body is larger than this endpoint's ${request.routeOptions.bodyLimit} bytes.`,
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new LivelineError('URI_TOO_LONG');
    case 'FST_ERR_BAD_URL':
      return new LivelineError('MALFORMED_REQUEST', 'The address is not valid (bad escape).');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new LivelineError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new LivelineError('MALFORMED_JSON', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new LivelineError('MALFORMED_JSON', error.message);
    default:
      if (error instanceof SyntaxError || error.statusCode === 400) {
        return new LivelineError('MALFORMED_JSON', error.message);
      }
      return null;
  }
}

/** Any error in the catalogue's terms: Liveline's own, Fastify's, or INTERNAL for the rest. */
export function toLivelineError(error: unknown, request: FastifyRequest): LivelineError {
  if (error instanceof LivelineError) return error;
  if (error instanceof DatabaseUnavailable) return new LivelineError('DATABASE_UNAVAILABLE');
  return fromFastify(error as FastifyError, request) ?? new LivelineError('INTERNAL');
}

/** Sends any error as application/problem+json (RFC 9457). */
export function sendProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const known = toLivelineError(error, request);
  const status = statusOf(known.code);
  // Only a fault is logged and hidden; a refusal (503 busy) says what it is.
  const fault = known.code === 'INTERNAL';
  if (fault) request.log.error({ err: error }, 'request failed');
  // An outage is logged once by the store, not as a failure of every request during it.
  if (known.code === 'DATABASE_UNAVAILABLE')
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send({
      type: `/docs/errors#${known.code}`,
      title: titleOf(status),
      status,
      code: known.code,
      detail: fault ? ERRORS.INTERNAL : known.message,
      instance: request.url,
      ...(known.problems.length > 0 && { errors: known.problems }),
      ...known.extra,
    });
}
