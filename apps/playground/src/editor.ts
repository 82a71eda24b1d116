/** The code editor: CodeMirror 6 with JavaScript highlighting. */
import { javascript } from '@codemirror/lang-javascript';
import { basicSetup, EditorView } from 'codemirror';

export interface Editor {
  text(): string;
  setText(text: string): void;
}

export function createEditor(parent: HTMLElement, initial: string, onChange: () => void): Editor {
  const view = new EditorView({
    doc: initial,
    parent,
    extensions: [
      basicSetup,
      javascript(),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChange();
      }),
    ],
  });
  return {
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
  };
}
