// The PromQL editor: CodeMirror 6 with Prometheus's own codemirror-promql (highlighting, linting,
// autocompletion of functions, metric names, label names and values). Completion asks this
// server's Prometheus API (label names/values, series, metadata) through codemirror-promql's
// HTTP client, as the tenant chosen in the navigation bar; Enter runs the query, Shift-Enter
// inserts a newline.
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder, highlightSpecialChars, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { promqlHighlight } from './highlight.ts';
import { tenantHeaders } from '../api.ts';

/** The server's base URL without a trailing slash (pages sit at the top level). */
function serverUrl(): string {
  return `${location.origin}${location.pathname.replace(/\/[^/]*$/, '')}`;
}

let shared: PromQLExtension | undefined;

function promql(): PromQLExtension {
  // One extension (and one metadata cache) for every panel.
  shared ??= new PromQLExtension().setComplete({
    remote: {
      url: serverUrl(),
      httpMethod: 'GET',
      requestHeaders: new Headers(tenantHeaders()),
      cache: { maxAge: 5 * 60_000 },
    },
  });
  return shared;
}

export interface PromEditor {
  readonly view: EditorView;
  value(): string;
}

export function promEditor(
  parent: HTMLElement,
  initial: string,
  onRun: () => void,
  onChange: (v: string) => void,
): PromEditor {
  const run = (): boolean => {
    onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        highlightSpecialChars(),
        history(),
        drawSelection(),
        bracketMatching(),
        closeBrackets(),
        autocompletion(),
        syntaxHighlighting(promqlHighlight),
        placeholder('Expression (press Enter to run, Shift+Enter for a new line)'),
        EditorView.lineWrapping,
        // Enter runs unless the completion list is open (completionKeymap takes it first).
        Prec.highest(
          keymap.of([...completionKeymap, { key: 'Enter', run }, { key: 'Shift-Enter', run: insertNewline }]),
        ),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
        promql().asExtension(),
      ],
    }),
  });
  return { view, value: () => view.state.doc.toString() };
}
