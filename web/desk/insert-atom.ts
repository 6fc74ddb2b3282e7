import type { Editor } from '@tiptap/core';
import { NodeSelection, TextSelection } from '@tiptap/pm/state';

/**
 * Inserts a block (an embed, a video) and puts the cursor in the paragraph after it, making
 * one if none follows. tiptap leaves an inserted atom selected, so the next insertion would
 * replace it: two blocks in a row kept only the second.
 */
export function insertAtom(editor: Editor, node: { type: string; attrs: object }): void {
  editor.chain().insertContent(node).run();
  const { state, view } = editor;
  if (!(state.selection instanceof NodeSelection)) return;
  const end = state.selection.to;
  const paragraph = state.schema.nodes.paragraph;
  const tr = state.tr;
  if (!state.doc.resolve(end).nodeAfter?.isTextblock && paragraph)
    tr.insert(end, paragraph.create());
  view.dispatch(tr.setSelection(TextSelection.create(tr.doc, end + 1)));
}
