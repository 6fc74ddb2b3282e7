import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getSchema } from '@tiptap/core';
import type { Block, Body } from '../../src/domain/blocks.ts';
import { Body as BodySchema, EMBED_PROVIDERS as MODEL_PROVIDERS } from '../../src/domain/blocks.ts';
import { check } from '../../src/domain/validate.ts';
import {
  bodyToDoc,
  docToBody,
  EMBED_PROVIDERS,
  type EditorNode,
} from '../../web/desk/body-mapping.ts';
import { editorExtensions } from '../../web/desk/editor-schema.ts';

const ORIGIN = 'https://live.example.org';
const schema = getSchema(editorExtensions);

/** One body with every block kind and every inline style the model has. */
const EVERY_BLOCK: Record<Block['type'], Block> = {
  paragraph: {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'Plain, ' },
      { type: 'text', text: 'bold', bold: true },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'italic', italic: true },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'both', bold: true, italic: true },
      { type: 'text', text: ' and ' },
      { type: 'link', text: 'a link', href: 'https://example.com/a', external: true },
      { type: 'text', text: ' and ' },
      { type: 'link', text: 'ours', href: `${ORIGIN}/live/x`, external: false },
    ],
  },
  quote: {
    type: 'quote',
    content: [{ type: 'text', text: 'We will rebuild.' }],
    attribution: 'The mayor',
  },
  list: {
    type: 'list',
    items: [
      [{ type: 'text', text: 'One' }],
      [
        { type: 'text', text: 'Two, ' },
        { type: 'text', text: 'loud', bold: true },
      ],
    ],
  },
  image: {
    type: 'image',
    src: 'https://images.example.org/a.jpg',
    alt: 'Cars crossing the bridge',
    caption: 'The first cars',
    credit: 'Reuters',
    width: 1200,
    height: 675,
  },
  video: { type: 'video', provider: 'youtube', providerId: 'abc_DEF-1', caption: 'The opening' },
  gallery: {
    type: 'gallery',
    images: [
      {
        type: 'image',
        media: 'a'.repeat(64),
        alt: 'Rescuers at the bridge',
        credit: 'Liveline',
        width: 4000,
        height: 3000,
      },
      { type: 'image', alt: 'The river at dawn', caption: 'Before the flood' },
    ],
  },
  embed: {
    type: 'embed',
    provider: 'x',
    url: 'https://x.com/someone/status/1',
    text: 'A post',
    author: 'Someone',
  },
};

const doc = (...content: EditorNode[]): EditorNode => ({ type: 'doc', content });
const para = (...content: EditorNode[]): EditorNode => ({ type: 'paragraph', content });
const refused = (node: EditorNode) => {
  const mapped = docToBody(node, ORIGIN);
  assert.equal(mapped.ok, false, 'refused');
  return mapped.ok ? '' : mapped.error;
};

describe('the desk body mapping (editor document <-> post body)', () => {
  for (const [kind, block] of Object.entries(EVERY_BLOCK)) {
    it(`round-trips a ${kind} block exactly, through a document the editor's schema accepts`, () => {
      const body: Body = [block];
      const editorDoc = bodyToDoc(body);
      // The editor itself must hold the document: ProseMirror checks it against the schema.
      schema.nodeFromJSON(editorDoc).check();
      assert.deepEqual(docToBody(editorDoc, ORIGIN), { ok: true, value: body });
    });
  }

  it('round-trips a body holding every kind at once, which the API validator accepts', () => {
    const body = Object.values(EVERY_BLOCK);
    assert.deepEqual(check(BodySchema, body, 'body'), body);
    const back = docToBody(schema.nodeFromJSON(bodyToDoc(body)).toJSON() as EditorNode, ORIGIN);
    assert.deepEqual(back, { ok: true, value: body });
  });

  it('an empty body is one empty paragraph, and trailing empty paragraphs are dropped', () => {
    assert.deepEqual(bodyToDoc([]), { type: 'doc', content: [{ type: 'paragraph' }] });
    const typed = doc(para({ type: 'text', text: 'Hi' }), { type: 'paragraph' });
    assert.deepEqual(docToBody(typed, ORIGIN), {
      ok: true,
      value: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('decides whether a new link is external from the site origin', () => {
    const linked = (href: string) =>
      doc(para({ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href } }] }));
    const external = (href: string) => {
      const mapped = docToBody(linked(href), ORIGIN);
      assert.ok(mapped.ok);
      const run = (mapped.value[0] as { content: { external?: boolean }[] }).content[0];
      return run?.external;
    };
    assert.equal(external('https://bbc.co.uk/news'), true);
    assert.equal(external(`${ORIGIN}/live/harbour`), false);
    assert.equal(external('https://live.example.org.evil.com/'), true);
    assert.equal(external('mailto:desk@example.org'), true);
  });

  it('refuses, naming it, what the model cannot hold', () => {
    assert.match(refused(doc({ type: 'heading', content: [] })), /Block 1.*"heading"/);
    assert.match(
      refused(
        doc(
          para(),
          para({
            type: 'text',
            text: 'bold link',
            marks: [{ type: 'bold' }, { type: 'link', attrs: { href: 'https://a.b/' } }],
          }),
        ),
      ),
      /Block 2: a link cannot also be bold/,
    );
    assert.match(
      refused(doc(para({ type: 'text', text: 'x', marks: [{ type: 'strike' }] }))),
      /"strike" style/,
    );
    assert.match(refused(doc(para({ type: 'hardBreak' }))), /line breaks/);
    assert.match(
      refused(
        doc({
          type: 'bulletList',
          content: [{ type: 'listItem', content: [para(), { type: 'bulletList', content: [] }] }],
        }),
      ),
      /item 1: holds 2 blocks/,
    );
    assert.match(
      refused(doc({ type: 'blockquote', content: [para(), para()] })),
      /quote\): holds 2 blocks/,
    );
    assert.match(refused(doc({ type: 'bulletList', content: [] })), /no items/);
    assert.match(
      refused(doc({ type: 'image', attrs: { src: 'https://a.b/c.jpg', alt: '  ' } })),
      /needs alt text/,
    );
    assert.match(
      refused(doc({ type: 'embed', attrs: { provider: 'myspace', url: 'https://m.com/' } })),
      /embeds come from/,
    );
    assert.match(refused(doc({ type: 'video', attrs: {} })), /needs an address/);
  });

  it('knows the same embed providers as the model', () => {
    assert.deepEqual([...EMBED_PROVIDERS], [...MODEL_PROVIDERS]);
  });
});
