import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import type { AppOptions } from '../../src/app.ts';
import type { Block } from '../../src/domain/blocks.ts';
import type { PageStatus } from '../../src/domain/page.ts';
import type { Contributor, Label } from '../../src/domain/post.ts';
import type { PageJson, PostJson } from '../../src/services/present.ts';
import { aParagraph } from '../support/factories.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * End-to-end support: the REAL app (startTestServer: in-memory SQLite, real HTTP on a free
 * loopback port) driven through its JSON API, and Debian's Chromium driven by playwright-core.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or false. On CI a missing Chromium is a failure, not a
 * skip, so the suite cannot pass there by running nothing.
 */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  const reason = `no Chromium at ${CHROMIUM_PATH} (Debian: apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return reason;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Starts the app and the browser side by side; if one fails, the other is closed again so no
 * process outlives the test file.
 */
export async function startStack(): Promise<{ newsroom: Newsroom; browser: Browser }> {
  const [newsroom, browser] = await Promise.allSettled([Newsroom.start(), launchBrowser()]);
  if (newsroom.status === 'fulfilled' && browser.status === 'fulfilled') {
    return { newsroom: newsroom.value, browser: browser.value };
  }
  if (newsroom.status === 'fulfilled') await newsroom.value.close();
  if (browser.status === 'fulfilled') await browser.value.close();
  throw newsroom.status === 'rejected'
    ? newsroom.reason
    : (browser as PromiseRejectedResult).reason;
}

/** How long any single wait for the page may take before the test fails. */
export const WAIT_MS = 5_000;

/** A fresh browser context (one per test), with bounded waits. */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(WAIT_MS);
  return context;
}

/** What the browser reported that a healthy page never should. */
export interface PageProblems {
  /** Console messages about the Content-Security-Policy ("Refused to ..."). */
  csp: string[];
  /** `securitypolicyviolation` events, as "directive blocked-uri". */
  cspEvents: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
}

/** Records CSP violations and uncaught errors of every page of a context. */
export async function watchProblems(context: BrowserContext): Promise<PageProblems> {
  const problems: PageProblems = { csp: [], cspEvents: [], errors: [] };
  await context.exposeBinding('__e2eCspViolation', (_source, report: string) => {
    problems.cspEvents.push(report);
  });
  // Runs before the page's own scripts, in the page's world; init scripts are not subject to CSP.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __e2eCspViolation?: (report: string) => void })
        .__e2eCspViolation;
      report?.(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  context.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) {
      problems.csp.push(message.text());
    }
  });
  context.on('weberror', (error) => problems.errors.push(String(error.error())));
  return problems;
}

/**
 * Opens a live page and, when it runs the live script, waits until its event stream has
 * answered, so that "the reader has the page open" is true before the test changes anything.
 */
export async function openReader(
  context: BrowserContext,
  url: string,
  options: { stream?: boolean } = {},
): Promise<Page> {
  const page = await context.newPage();
  const stream =
    options.stream === false
      ? null
      : page.waitForResponse((res) => /\/live\/[^/]+\/events/.test(res.url()) && res.ok());
  // A rejected wait must not become an unhandled rejection if goto fails first.
  stream?.catch(() => undefined);
  const res = await page.goto(url);
  assert.equal(res?.status(), 200, `GET ${url}`);
  await stream;
  return page;
}

/** The ids of the articles in the stream, top to bottom. */
export function articleIds(page: Page): Promise<string[]> {
  return page.$$eval('#posts > article', (list) => list.map((element) => element.id));
}

/** The distance from the top of the viewport to the top of an element, in CSS pixels. */
export function topOf(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (element) => element.getBoundingClientRect().top);
}

export const elementId = (post: { id: string }) => `post-${post.id}`;
export const selectorOf = (post: { id: string }) => `#post-${post.id}`;

/** A paragraph of about `length` characters of plausible text, so pages scroll. */
export function longParagraph(n: number, length = 700): Block {
  const sentence = `Officials at the harbour said update ${n} was confirmed by the port authority, and traffic on the approach roads was moving slowly but steadily. `;
  return aParagraph(sentence.repeat(Math.ceil(length / sentence.length)).trim());
}

/** What a test says about a post; everything else gets a plain default. */
export interface PostInput {
  headline: string;
  body?: Block[];
  labels?: Label[];
  pinned?: boolean;
  contributors?: Contributor[];
  publishedAt?: string;
}

export interface PageInput {
  slug: string;
  title?: string;
  description?: string;
  status?: PageStatus;
  summary?: { text: string }[];
  leadMedia?: {
    kind: 'video' | 'image';
    src?: string;
    alt?: string;
    caption: string;
    credit?: string;
  };
}

/**
 * The real app with the newsroom's side of the work: every change goes through the JSON API
 * as an editor, and an unexpected answer fails the test with the problem document.
 */
export class Newsroom {
  private constructor(readonly server: TestServer) {}

  static async start(options: AppOptions = {}): Promise<Newsroom> {
    return new Newsroom(await startTestServer(undefined, options));
  }

  get url(): string {
    return this.server.url;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private async send<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    expected: number,
    body?: unknown,
  ): Promise<T> {
    const res = await this.server.call('editor', method, url, body);
    assert.equal(res.statusCode, expected, `${method} ${url} answered ${res.body}`);
    return (res.body ? res.json<T>() : undefined) as T;
  }

  createPage(input: PageInput): Promise<PageJson> {
    return this.send('POST', '/api/pages', 201, {
      title: `Live: ${input.slug}`,
      description: 'Live coverage.',
      status: 'live',
      ...input,
    });
  }

  getPage(slug: string): Promise<PageJson> {
    return this.send('GET', `/api/pages/${slug}`, 200);
  }

  /** Edits the page at its current revision. */
  async editPage(slug: string, changes: Omit<Partial<PageInput>, 'slug'>): Promise<PageJson> {
    const { revision } = await this.getPage(slug);
    return this.send('PATCH', `/api/pages/${slug}`, 200, { revision, ...changes });
  }

  setStatus(slug: string, status: PageStatus): Promise<PageJson> {
    return this.editPage(slug, { status });
  }

  publish(slug: string, post: PostInput): Promise<PostJson> {
    return this.send('POST', `/api/pages/${slug}/posts`, 201, {
      body: [aParagraph(`${post.headline}.`)],
      ...post,
    });
  }

  /** Publishes `count` long posts, oldest first, a minute apart from `from`. */
  async publishMany(slug: string, count: number, from = Date.UTC(2025, 2, 20, 9, 0)) {
    const posts: PostJson[] = [];
    for (let n = 1; n <= count; n++) {
      posts.push(
        await this.publish(slug, {
          headline: `Update ${n} from the harbour`,
          publishedAt: new Date(from + n * 60_000).toISOString(),
          body: [longParagraph(n), longParagraph(n + 1000, 400)],
        }),
      );
    }
    return posts;
  }

  /** Edits a post at the revision given (as a desk that read it would). */
  editPost(
    slug: string,
    post: { id: string; revision: number },
    changes: Partial<PostInput>,
  ): Promise<PostJson> {
    return this.send('PATCH', `/api/pages/${slug}/posts/${post.id}`, 200, {
      revision: post.revision,
      ...changes,
    });
  }

  deletePost(slug: string, post: { id: string }): Promise<void> {
    return this.send('DELETE', `/api/pages/${slug}/posts/${post.id}`, 204);
  }
}
