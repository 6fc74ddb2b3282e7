/**
 * The one way Liveline writes XML: every text and attribute value goes through `escapeXml`,
 * and elements are built by `element`, so no input can close a section, open a tag or end
 * the document. No CDATA: a CDATA section cannot hold `]]>`, and escaping it piecemeal is
 * exactly how text once escaped its section and became live markup.
 */

/** Characters XML 1.0 forbids; a stray control character would make the whole document invalid. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text as XML character data or an attribute value: forbidden characters dropped, the rest escaped. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (char) => ENTITY[char] ?? char);
}

/** An XML node: escaped text, or an element built by `element`. */
export interface XmlNode {
  readonly xml: string;
}

/** Plain text, escaped. */
export function text(value: string): XmlNode {
  return { xml: escapeXml(value) };
}

/** `<name attr="…">children</name>`, or `<name/>` with no children; null children are skipped. */
export function element(
  name: string,
  attributes: Record<string, string | undefined> = {},
  ...children: (XmlNode | string | null)[]
): XmlNode {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const inner = children
    .filter((child) => child !== null)
    .map((child) => (typeof child === 'string' ? escapeXml(child) : child.xml))
    .join('');
  return { xml: inner === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${inner}</${name}>` };
}

/** A whole document: the declaration and its root element. */
export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root.xml}\n`;
}
