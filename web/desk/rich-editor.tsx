import { Editor } from '@tiptap/core';
import { useEffect, useRef } from 'preact/hooks';
import type { EditorNode } from './body-mapping.ts';
import { editorExtensions } from './editor-schema.ts';

/**
 * The body editor: tiptap (ProseMirror) mounted into a div; Preact never renders inside it.
 * `onChange` gets the document after every change; `onReady` hands over the editor so the
 * toolbar can run commands on it.
 */
export function RichEditor(props: {
  id: string;
  labelledBy: string;
  initial: EditorNode;
  onChange: (doc: EditorNode) => void;
  onReady: (editor: Editor | null) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  useEffect(() => {
    const editor = new Editor({
      element: host.current!,
      extensions: editorExtensions,
      content: props.initial,
      // The CSP allows no inline <style>: the editor's base rules are in public/desk.css.
      injectCSS: false,
      editorProps: {
        attributes: {
          id: props.id,
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': props.labelledBy,
          class: 'rich-editor__surface',
        },
      },
      onUpdate: ({ editor: e }) => latest.current.onChange(e.getJSON() as EditorNode),
    });
    props.onReady(editor);
    return () => {
      latest.current.onReady(null);
      editor.destroy();
    };
    // Mounted once per composition; a new composition remounts it (keyed by the parent).
  }, []);
  return <div class="rich-editor" ref={host} />;
}
