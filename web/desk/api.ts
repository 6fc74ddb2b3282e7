import type { DeskPostJson, PageJson } from '../../src/services/present.ts';
import type { presentUser } from '../../src/services/people.ts';

/**
 * The shapes the desk reads are the server's presenters' own (type-only imports: nothing of
 * the server reaches the bundle), so a field added there is a field the desk sees.
 */
export type { KeyPoint, LeadMedia } from '../../src/domain/page.ts';
export type User = ReturnType<typeof presentUser>;
/** A post as GET /desk/api/pages/:slug/posts lists it: drafts included, with its author. */
export type DeskPost = DeskPostJson;
/** A page as GET /desk/api/pages lists it (its other routes give the plain page). */
export type DeskPage = PageJson & { readers?: number; lastPostAt?: string | null };

export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  currentRevision?: number;
}

/** A refused request, with the problem document the server sent. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `The server answered ${problem.status}.`);
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => undefined;

/** What to do when the session has ended (expired, revoked, disabled): show sign-in. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** The session's synchronizer token, sent with every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * One JSON request to the server, as the signed-in user (the session cookie goes by
 * itself; the CSRF token goes in a header on every write). A refusal throws an ApiError.
 */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const send: Record<string, string> = { accept: 'application/json', ...headers };
  // A form (a picture's upload) sets its own multipart type and boundary.
  const form = body instanceof FormData;
  if (body !== undefined && !form) send['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) send['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: send,
      credentials: 'same-origin',
      ...(body !== undefined && { body: form ? body : JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError({ status: 0, detail: 'The server cannot be reached. Nothing was lost.' });
  }
  const text = await res.text();
  const json: unknown = text ? safeParse(text) : undefined;
  if (!res.ok) {
    const problem = (json && typeof json === 'object' ? json : {}) as Problem;
    // The session is gone: back to sign-in. Compositions stay in localStorage meanwhile.
    if (problem.code === 'UNAUTHENTICATED' && !url.endsWith('/desk/api/me')) onSignedOut();
    throw new ApiError({ ...problem, status: res.status });
  }
  return json as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A fresh random key: one per composition, so a double-click makes one post. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
