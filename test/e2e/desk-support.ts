import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../src/domain/user.ts';
import { createPerson } from '../support/people.ts';
import { startStack, type Newsroom } from './support.ts';

/**
 * Desk end-to-end support: people are made the way a newsroom makes them (an invitation's
 * one-time link, a password chosen in the browser), and everything after that is done in
 * the desk through its screens.
 */

export interface Person {
  email: string;
  name: string;
  password: string;
}

let n = 0;

/** A person of the newsroom with a password, made through the invitation use case. */
export async function makePerson(newsroom: Newsroom, role: Role, name?: string): Promise<Person> {
  const made = await createPerson(newsroom.server, { role, ...(name && { name }) });
  return { email: made.email, name: made.user.name, password: made.password };
}

export interface DeskStack {
  newsroom: Newsroom;
  browser: Browser;
  /** An editor of the newsroom, with a password. */
  editor: Person;
}

/**
 * The newsroom, a browser and an editor for a suite of desk tests: started before its first
 * test (then handed to `ready`), closed after its last.
 */
export function deskStack(ready: (stack: DeskStack) => void): void {
  let started: { newsroom: Newsroom; browser: Browser } | undefined;
  before(async () => {
    started = await startStack();
    ready({ ...started, editor: await makePerson(started.newsroom, 'editor') });
  });
  after(async () => {
    await started?.browser.close();
    await started?.newsroom.close();
  });
}

/** Visits a one-time link, chooses a password, and leaves the tab signed in. */
export async function acceptLink(tab: Page, link: string, password: string): Promise<void> {
  await tab.goto(link);
  await tab.fill('#new-password', password);
  await tab.press('#new-password', 'Enter');
  await tab.waitForSelector('h1:text("Live pages")');
}

/** Signs in through the sign-in screen; the tab shows the pages list afterwards. */
export async function signIn(context: BrowserContext, url: string, who: Person): Promise<Page> {
  const tab = await context.newPage();
  const res = await tab.goto(`${url}/desk`);
  assert.equal(res?.status(), 200);
  await tab.fill('#email', who.email);
  await tab.fill('#password', who.password);
  await tab.press('#password', 'Enter');
  await tab.waitForSelector('h1:text("Live pages")');
  return tab;
}

/** Opens a page's desk and waits until its live stream is connected. */
export async function openDesk(tab: Page, url: string, slug: string): Promise<void> {
  await tab.goto(`${url}/desk/pages/${slug}`);
  await tab.waitForSelector('.connection--on');
}

/**
 * Moves the focus with Tab (or Shift+Tab) until `selector` has it: the keyboard alone
 * reaches it, or the test fails after `max` presses.
 */
export async function tabTo(tab: Page, selector: string, back = false, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await tab.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await tab.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`${selector} was not reached with ${max} presses of ${back ? 'Shift+' : ''}Tab`);
}

/** A fresh e-mail address for one test. */
export function freshEmail(name: string): string {
  n += 1;
  return `${name.toLowerCase().replace(/\W+/g, '.')}.${n}.${Date.now()}@newsroom.test`;
}

export type { Newsroom };
