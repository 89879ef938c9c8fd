// The board document in Monaco. It shows the running board; edits are a draft until "Apply",
// which opens the edited text like any other board file. A rejected document (edited here or
// opened from a file) stays in the editor as the draft, its problems marked; "Revert" goes back
// to the running board's text.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { BoardProblem } from '../../graph/index.ts';
import { applyDocumentText } from '../designer.ts';
import { locatePointer } from '../json-locate.ts';
import { BOARD_MODEL_FOLDER, monaco } from '../monaco.ts';
import { useBoardLab } from '../store.ts';

let modelCounter = 0;
const MARKER_OWNER = 'boardlab';

/** Where a problem is in `model`: its pointer's range, or the line and column a syntax error names. */
function problemRange(model: monaco.editor.ITextModel, problem: Pick<BoardProblem, 'pointer' | 'message'>): monaco.IRange {
  const syntax = problem.pointer === '' ? /line (\d+), column (\d+)/.exec(problem.message) : null;
  if (syntax) {
    const line = Math.min(Number(syntax[1]), model.getLineCount());
    const column = Number(syntax[2]);
    return { startLineNumber: line, startColumn: column, endLineNumber: line, endColumn: Math.max(column + 1, model.getLineMaxColumn(line)) };
  }
  const range = locatePointer(model.getValue(), problem.pointer) ?? { start: 0, end: 1 };
  const start = model.getPositionAt(range.start);
  // A whole-document or multi-line range marks only its first line, which reads better.
  const end = model.getPositionAt(range.end);
  const endLine = end.lineNumber === start.lineNumber ? end : { lineNumber: start.lineNumber, column: model.getLineMaxColumn(start.lineNumber) };
  return { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: endLine.lineNumber, endColumn: endLine.column };
}

function modelUri(source: string): monaco.Uri {
  const base = source.replace(/ \(edited\)$/, '').replace(/[^\w.-]+/g, '_');
  const name = base.endsWith('.board.json') ? base : `${base.replace(/\.json$/, '')}.board.json`;
  return monaco.Uri.parse(`${BOARD_MODEL_FOLDER}${++modelCounter}-${name}`);
}

/** `tabs`: shown in the header in place of its title (the bottom pane's tabs: the document and its sources). */
export default function JsonEditor({ tabs }: { tabs?: ReactNode }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const board = useBoardLab((s) => s.board);
  const problems = useBoardLab((s) => s.problems);
  const reveal = useBoardLab((s) => s.reveal);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    performance.mark('boardlab:editor-create');
    const editor = monaco.editor.create(element, {
      language: 'json',
      theme: 'boardlab-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12.5,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      tabSize: 2,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
    });
    editorRef.current = editor;
    const listener = editor.onDidChangeModelContent(() => {
      setDirty(editor.getValue() !== useBoardLab.getState().board?.text);
    });
    return () => {
      listener.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  // Show the running board whenever it changes (a new model per board keeps undo per document).
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !board) return;
    const old = editor.getModel();
    editor.setModel(monaco.editor.createModel(board.text, 'json', modelUri(board.source)));
    old?.dispose();
    setDirty(false);
  }, [board]);

  // A rejected document becomes the draft, with its problems marked.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    if (!problems || problems.text === undefined) {
      monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      return;
    }
    if (model.getValue() !== problems.text) {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: problems.text }], () => null);
    }
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      problems.problems.map((problem) => ({
        ...problemRange(model, problem),
        severity: monaco.MarkerSeverity.Error,
        message: problem.hint ? `${problem.message}\n${problem.hint}` : problem.message,
        source: problem.pointer || 'document',
      })),
    );
  }, [problems]);

  // A click on a problem shows its place.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || !reveal) return;
    const range = problemRange(model, reveal);
    editor.revealRangeInCenterIfOutsideViewport(range);
    editor.setSelection(range);
    editor.focus();
  }, [reveal]);

  const apply = () => {
    const editor = editorRef.current;
    if (!editor || !board) return;
    void applyDocumentText(editor.getValue());
  };
  const revert = () => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || !board) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text: board.text }], () => null);
  };

  return (
    <div className="json-editor">
      <div className="panel-header">
        {tabs ?? <span className="panel-title">Board document</span>}
        <span className="panel-subtitle">{dirty ? 'draft — not running' : (board?.source ?? '')}</span>
        <span className="spacer" />
        <button type="button" className="small" disabled={!dirty} onClick={revert}>
          Revert
        </button>
        <button type="button" className="small primary" disabled={!dirty} onClick={apply}>
          Apply
        </button>
      </div>
      <div className="json-editor__host" ref={host} data-testid="json-editor" />
    </div>
  );
}
