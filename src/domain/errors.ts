/**
 * The catalogue of errors Liveline reports, each with a stable code. Domain code throws
 * `LivelineError`; only src/http/problem.ts knows which HTTP status each code becomes.
 * docs/errors.md documents every code.
 */
export const ERRORS = {
  PAGE_NOT_FOUND: 'No live page has this slug.',
  POST_NOT_FOUND: 'No post with this id on this live page.',
  PAGE_OUT_OF_RANGE: 'The live page has fewer pages of posts.',
  SLUG_TAKEN: 'A live page with this slug already exists.',
  EDIT_CONFLICT: 'Someone else changed this since the revision you edited.',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was already used for a different request.',
  VALIDATION_FAILED: 'The request is not valid.',
  MALFORMED_JSON: 'The request body is not valid JSON.',
  MALFORMED_REQUEST: 'The request is not valid HTTP (e.g. a control character in a header).',
  BODY_TOO_LARGE: 'The request body is larger than this endpoint accepts.',
  URI_TOO_LONG: 'A part of the address is longer than any valid one.',
  HEADERS_TOO_LARGE: 'The request headers are too large.',
  REQUEST_TIMEOUT: 'The request took too long to arrive.',
  UNSUPPORTED_MEDIA_TYPE: 'The request body has a content type this endpoint does not accept.',
  UNAUTHENTICATED: 'This request needs a valid bearer token.',
  FORBIDDEN: 'Your role may not do this.',
  RATE_LIMITED: 'Too many requests; wait for the time Retry-After gives.',
  ROUTE_NOT_FOUND: 'There is nothing at this address.',
  METHOD_NOT_ALLOWED: 'This address does not accept this method.',
  TOO_MANY_STREAMS: 'This address has too many event streams open; close one and retry.',
  STREAMS_FULL: 'The server has as many event streams open as it allows; retry shortly.',
  INTERNAL: 'Something went wrong on our side.',
  DATABASE_UNAVAILABLE: 'The database is not answering. Try again shortly.',
  SIGN_IN_FAILED: 'The e-mail or the password is wrong.',
  CSRF_REJECTED: 'This request did not come from the desk (cross-site or without its token).',
  LINK_NOT_FOUND: 'This link is unknown, used or expired; ask an admin for a new one.',
  SESSION_NOT_FOUND: 'You have no session with this id.',
  TOKEN_NOT_FOUND: 'You have no token with this id.',
  USER_NOT_FOUND: 'No user has this id.',
  PRESENCE_NOT_FOUND:
    'This desk tab is no longer on the page (its event stream closed or went quiet); reconnect it.',
  PRESENCE_UNAVAILABLE: 'Presence cannot be recorded right now; the desk works on without it.',
  VERSION_NOT_FOUND: 'No step with this id in the history of this post.',
  VERSION_IS_CURRENT: 'This is the current version: edit or remove the post instead.',
  POST_REMOVED: 'This post was removed for legal reasons.',
  REVIEW_REQUIRED: 'This live page is in review mode: contributors submit posts for review.',
  INVALID_TRANSITION: 'A post in this status cannot move to that one.',
  // The embeddable widget's oEmbed endpoint (ADR 0024).
  OEMBED_URL_INVALID: 'The url is not the address of a live page or a post on this site.',
  OEMBED_FORMAT_NOT_JSON: 'Only format=json is offered.',
  // Webhooks (docs/webhooks.md).
  WEBHOOK_NOT_FOUND: 'No webhook endpoint has this id.',
  DELIVERY_NOT_FOUND: 'This webhook endpoint has no delivery with this id.',
  WEBHOOK_TARGET_REFUSED:
    'The webhook URL resolves to a private, loopback or otherwise non-public address.',
  // Pictures (ADR 0020).
  MEDIA_TYPE_REFUSED: 'This file is not a picture Liveline accepts (JPEG, PNG, WebP, GIF or AVIF).',
  MEDIA_UNREADABLE: 'This picture could not be read; it may be damaged or too large.',
  MEDIA_TOO_LARGE: 'This file is larger than a picture may be.',
  MEDIA_NOT_FOUND: 'No picture has this id.',
  // Push alerts (issue 12).
  ALERTS_LIMIT_REACHED:
    'This browser already gets alerts from as many live pages as it may; stop some first.',
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** One problem with one field of a request. */
export interface FieldProblem {
  /** A JSON pointer to the field, e.g. "/body/0/content/1/href". */
  field: string;
  reason: string;
}

export class LivelineError extends Error {
  readonly code: ErrorCode;
  readonly problems: FieldProblem[];
  readonly extra: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    detail: string = ERRORS[code],
    options: { problems?: FieldProblem[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'LivelineError';
    this.code = code;
    this.problems = options.problems ?? [];
    this.extra = options.extra ?? {};
  }
}

/** A validation error for one field. */
export function invalid(field: string, reason: string): LivelineError {
  return new LivelineError('VALIDATION_FAILED', `${field}: ${reason}`, {
    problems: [{ field, reason }],
  });
}
