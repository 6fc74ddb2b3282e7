import assert from 'node:assert/strict';

/** Helpers for the render tests: small structural checks on HTML strings. */

/** Every match of a pattern's first group. */
export function allMatches(html: string, pattern: RegExp): string[] {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  return Array.from(html.matchAll(new RegExp(pattern.source, flags)), (match) => match[1] ?? '');
}

/** The JSON inside the document's `<script type="application/ld+json">`. */
export function extractJsonLd(html: string): { raw: string; value: unknown } {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(match?.[1], 'the page has a JSON-LD script');
  return { raw: match[1], value: JSON.parse(match[1]) };
}

/** The assets every test page uses. */
export const ASSETS = { css: '/assets/reader.css', script: '/assets/reader.js' };
export const BASE_URL = 'http://localhost:3000';

/**
 * A small well-formedness check for XML: every tag closes in order, CDATA sections and
 * comments end, entity references are the XML ones or numeric. Enough to catch a feed that
 * a reader would refuse; not a validating parser.
 */
export function assertWellFormedXml(xml: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  const token =
    /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const match of xml.matchAll(token)) {
    const [, closing, name, , selfClosing, text, strayLt] = match;
    assert.equal(strayLt, undefined, `stray "<" at ${match.index}`);
    if (text !== undefined) {
      assert.ok(
        !/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text),
        `bad entity in "${text.slice(0, 40)}"`,
      );
      continue;
    }
    if (name === undefined) continue;
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    } else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  assert.deepEqual(stack, [], 'every element is closed');
  return names;
}
